"use strict";(self.rspackChunkannbook_jupyterlab=self.rspackChunkannbook_jupyterlab||[]).push([[266],{646(r,o,e){var t=e(601),n=e.n(t),a=e(314),i=(e.n(a))()(n());i.push([r.id,`/*
 * Colours of %%neuron / %%synapse cells. Only JupyterLab's editor variables are used, so
 * every theme (light, dark, high contrast) gives the right contrast. Two classes in each
 * selector: these rules win over the single-class rules of JupyterLab's highlight style.
 */

.cm-editor .annbook-magic {
  color: var(--jp-mirror-editor-meta-color);
  font-weight: bold;
}

.cm-editor .annbook-model-name {
  color: var(--jp-mirror-editor-def-color);
  font-weight: bold;
}

.cm-editor .annbook-magic-argument {
  color: var(--jp-mirror-editor-attribute-color);
}

.cm-editor .annbook-section {
  color: var(--jp-mirror-editor-header-color);
  font-weight: bold;
}

.cm-editor .annbook-flag,
.cm-editor .annbook-flag-separator {
  color: var(--jp-mirror-editor-string-2-color);
  font-style: italic;
}

.cm-editor .annbook-number {
  color: var(--jp-mirror-editor-number-color);
}

.cm-editor .annbook-comment {
  color: var(--jp-mirror-editor-comment-color);
  font-style: italic;
}

.cm-editor .annbook-function {
  color: var(--jp-mirror-editor-builtin-color);
}

.cm-editor .annbook-random {
  color: var(--jp-mirror-editor-string-color);
}

.cm-editor .annbook-derivative {
  color: var(--jp-mirror-editor-def-color);
  font-weight: bold;
}

.cm-editor .annbook-sum {
  color: var(--jp-mirror-editor-variable-3-color);
  font-weight: bold;
}

.cm-editor .annbook-pre-post {
  color: var(--jp-mirror-editor-property-color);
}

.cm-editor .annbook-keyword {
  color: var(--jp-mirror-editor-keyword-color);
  font-weight: bold;
}

.cm-editor .annbook-builtin {
  color: var(--jp-mirror-editor-atom-color);
}

.cm-editor .annbook-operator {
  color: var(--jp-mirror-editor-operator-color);
}

.cm-editor .annbook-description {
  color: var(--jp-mirror-editor-quote-color);
}

.cm-editor .annbook-invalid {
  text-decoration: underline wavy var(--jp-mirror-editor-error-color);
  text-decoration-skip-ink: none;
}
`,""]),e.d(o,{},{A:i})},314(r){r.exports=function(r){var o=[];return o.toString=function(){return this.map(function(o){var e="",t=void 0!==o[5];return o[4]&&(e+="@supports (".concat(o[4],") {")),o[2]&&(e+="@media ".concat(o[2]," {")),t&&(e+="@layer".concat(o[5].length>0?" ".concat(o[5]):""," {")),e+=r(o),t&&(e+="}"),o[2]&&(e+="}"),o[4]&&(e+="}"),e}).join("")},o.i=function(r,e,t,n,a){"string"==typeof r&&(r=[[null,r,void 0]]);var i={};if(t)for(var c=0;c<this.length;c++){var l=this[c][0];null!=l&&(i[l]=!0)}for(var s=0;s<r.length;s++){var d=[].concat(r[s]);t&&i[d[0]]||(void 0!==a&&(void 0===d[5]||(d[1]="@layer".concat(d[5].length>0?" ".concat(d[5]):""," {").concat(d[1],"}")),d[5]=a),e&&(d[2]&&(d[1]="@media ".concat(d[2]," {").concat(d[1],"}")),d[2]=e),n&&(d[4]?(d[1]="@supports (".concat(d[4],") {").concat(d[1],"}"),d[4]=n):d[4]="".concat(n)),o.push(d))}},o}},601(r){r.exports=function(r){return r[1]}},665(r,o,e){e.r(o);var t=e(72),n=e.n(t),a=e(825),i=e.n(a),c=e(659),l=e.n(c),s=e(56),d=e.n(s),u=e(540),p=e.n(u),m=e(113),f=e.n(m),v=e(646),h={};h.styleTagTransform=f(),h.setAttributes=d(),h.insert=l().bind(null,"head"),h.domAPI=i(),h.insertStyleElement=p(),n()(v.A,h);let b=v.A&&v.A.locals?v.A.locals:void 0;e.d(o,{},{default:b})},72(r){var o=[];function e(r){for(var e=-1,t=0;t<o.length;t++)if(o[t].identifier===r){e=t;break}return e}function t(r,t){for(var n={},a=[],i=0;i<r.length;i++){var c=r[i],l=t.base?c[0]+t.base:c[0],s=n[l]||0,d="".concat(l," ").concat(s);n[l]=s+1;var u=e(d),p={css:c[1],media:c[2],sourceMap:c[3],supports:c[4],layer:c[5]};if(-1!==u)o[u].references++,o[u].updater(p);else{var m=function(r,o){var e=o.domAPI(o);return e.update(r),function(o){o?(o.css!==r.css||o.media!==r.media||o.sourceMap!==r.sourceMap||o.supports!==r.supports||o.layer!==r.layer)&&e.update(r=o):e.remove()}}(p,t);t.byIndex=i,o.splice(i,0,{identifier:d,updater:m,references:1})}a.push(d)}return a}r.exports=function(r,n){var a=t(r=r||[],n=n||{});return function(r){r=r||[];for(var i=0;i<a.length;i++){var c=e(a[i]);o[c].references--}for(var l=t(r,n),s=0;s<a.length;s++){var d=e(a[s]);0===o[d].references&&(o[d].updater(),o.splice(d,1))}a=l}}},659(r){var o={};r.exports=function(r,e){var t=function(r){if(void 0===o[r]){var e=document.querySelector(r);if(window.HTMLIFrameElement&&e instanceof window.HTMLIFrameElement)try{e=e.contentDocument.head}catch(r){e=null}o[r]=e}return o[r]}(r);if(!t)throw Error("Couldn't find a style target. This probably means that the value for the 'insert' parameter is invalid.");t.appendChild(e)}},540(r){r.exports=function(r){var o=document.createElement("style");return r.setAttributes(o,r.attributes),r.insert(o,r.options),o}},56(r,o,e){r.exports=function(r){var o=e.nc;o&&r.setAttribute("nonce",o)}},825(r){r.exports=function(r){if("u"<typeof document)return{update:function(){},remove:function(){}};var o=r.insertStyleElement(r);return{update:function(e){var t,n,a;t="",e.supports&&(t+="@supports (".concat(e.supports,") {")),e.media&&(t+="@media ".concat(e.media," {")),(n=void 0!==e.layer)&&(t+="@layer".concat(e.layer.length>0?" ".concat(e.layer):""," {")),t+=e.css,n&&(t+="}"),e.media&&(t+="}"),e.supports&&(t+="}"),(a=e.sourceMap)&&"u">typeof btoa&&(t+="\n/*# sourceMappingURL=data:application/json;base64,".concat(btoa(unescape(encodeURIComponent(JSON.stringify(a))))," */")),r.styleTagTransform(t,o,r.options)},remove:function(){var r;null===(r=o).parentNode||r.parentNode.removeChild(r)}}}},113(r){r.exports=function(r,o){if(o.styleSheet)o.styleSheet.cssText=r;else{for(;o.firstChild;)o.removeChild(o.firstChild);o.appendChild(document.createTextNode(r))}}}}]);