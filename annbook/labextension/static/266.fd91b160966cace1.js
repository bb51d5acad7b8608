"use strict";(self.rspackChunkannbook_jupyterlab=self.rspackChunkannbook_jupyterlab||[]).push([[266],{646(o,r,e){var t=e(601),n=e.n(t),a=e(314),i=(e.n(a))()(n());i.push([o.id,`/*
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
  font-weight: bold;
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
`,""]),e.d(r,{},{A:i})},314(o){o.exports=function(o){var r=[];return r.toString=function(){return this.map(function(r){var e="",t=void 0!==r[5];return r[4]&&(e+="@supports (".concat(r[4],") {")),r[2]&&(e+="@media ".concat(r[2]," {")),t&&(e+="@layer".concat(r[5].length>0?" ".concat(r[5]):""," {")),e+=o(r),t&&(e+="}"),r[2]&&(e+="}"),r[4]&&(e+="}"),e}).join("")},r.i=function(o,e,t,n,a){"string"==typeof o&&(o=[[null,o,void 0]]);var i={};if(t)for(var c=0;c<this.length;c++){var l=this[c][0];null!=l&&(i[l]=!0)}for(var s=0;s<o.length;s++){var d=[].concat(o[s]);t&&i[d[0]]||(void 0!==a&&(void 0===d[5]||(d[1]="@layer".concat(d[5].length>0?" ".concat(d[5]):""," {").concat(d[1],"}")),d[5]=a),e&&(d[2]&&(d[1]="@media ".concat(d[2]," {").concat(d[1],"}")),d[2]=e),n&&(d[4]?(d[1]="@supports (".concat(d[4],") {").concat(d[1],"}"),d[4]=n):d[4]="".concat(n)),r.push(d))}},r}},601(o){o.exports=function(o){return o[1]}},665(o,r,e){e.r(r);var t=e(72),n=e.n(t),a=e(825),i=e.n(a),c=e(659),l=e.n(c),s=e(56),d=e.n(s),u=e(540),p=e.n(u),m=e(113),f=e.n(m),v=e(646),h={};h.styleTagTransform=f(),h.setAttributes=d(),h.insert=l().bind(null,"head"),h.domAPI=i(),h.insertStyleElement=p(),n()(v.A,h);let b=v.A&&v.A.locals?v.A.locals:void 0;e.d(r,{},{default:b})},72(o){var r=[];function e(o){for(var e=-1,t=0;t<r.length;t++)if(r[t].identifier===o){e=t;break}return e}function t(o,t){for(var n={},a=[],i=0;i<o.length;i++){var c=o[i],l=t.base?c[0]+t.base:c[0],s=n[l]||0,d="".concat(l," ").concat(s);n[l]=s+1;var u=e(d),p={css:c[1],media:c[2],sourceMap:c[3],supports:c[4],layer:c[5]};if(-1!==u)r[u].references++,r[u].updater(p);else{var m=function(o,r){var e=r.domAPI(r);return e.update(o),function(r){r?(r.css!==o.css||r.media!==o.media||r.sourceMap!==o.sourceMap||r.supports!==o.supports||r.layer!==o.layer)&&e.update(o=r):e.remove()}}(p,t);t.byIndex=i,r.splice(i,0,{identifier:d,updater:m,references:1})}a.push(d)}return a}o.exports=function(o,n){var a=t(o=o||[],n=n||{});return function(o){o=o||[];for(var i=0;i<a.length;i++){var c=e(a[i]);r[c].references--}for(var l=t(o,n),s=0;s<a.length;s++){var d=e(a[s]);0===r[d].references&&(r[d].updater(),r.splice(d,1))}a=l}}},659(o){var r={};o.exports=function(o,e){var t=function(o){if(void 0===r[o]){var e=document.querySelector(o);if(window.HTMLIFrameElement&&e instanceof window.HTMLIFrameElement)try{e=e.contentDocument.head}catch(o){e=null}r[o]=e}return r[o]}(o);if(!t)throw Error("Couldn't find a style target. This probably means that the value for the 'insert' parameter is invalid.");t.appendChild(e)}},540(o){o.exports=function(o){var r=document.createElement("style");return o.setAttributes(r,o.attributes),o.insert(r,o.options),r}},56(o,r,e){o.exports=function(o){var r=e.nc;r&&o.setAttribute("nonce",r)}},825(o){o.exports=function(o){if("u"<typeof document)return{update:function(){},remove:function(){}};var r=o.insertStyleElement(o);return{update:function(e){var t,n,a;t="",e.supports&&(t+="@supports (".concat(e.supports,") {")),e.media&&(t+="@media ".concat(e.media," {")),(n=void 0!==e.layer)&&(t+="@layer".concat(e.layer.length>0?" ".concat(e.layer):""," {")),t+=e.css,n&&(t+="}"),e.media&&(t+="}"),e.supports&&(t+="}"),(a=e.sourceMap)&&"u">typeof btoa&&(t+="\n/*# sourceMappingURL=data:application/json;base64,".concat(btoa(unescape(encodeURIComponent(JSON.stringify(a))))," */")),o.styleTagTransform(t,r,o.options)},remove:function(){var o;null===(o=r).parentNode||o.parentNode.removeChild(o)}}}},113(o){o.exports=function(o,r){if(r.styleSheet)r.styleSheet.cssText=o;else{for(;r.firstChild;)r.removeChild(r.firstChild);r.appendChild(document.createTextNode(o))}}}}]);