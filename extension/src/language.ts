/**
 * The model-cell language: the stream parser, its highlighting tags and CSS classes.
 *
 * Every token gets two tags: one of annbook's own (mapped to a stable `annbook-*` class
 * that `style/index.css` colours with the theme's editor variables) and a standard
 * Lezer tag, so that any other CodeMirror highlighter still gives it a sensible colour.
 */
import { LanguageSupport, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { Tag, tagHighlighter, tags as t } from '@lezer/highlight';

import { modelParser, TokenName } from './tokenizer';

/** CSS class of each token (stable names, documented in docs/ARCHITECTURE.md). */
export const TOKEN_CLASSES: Readonly<Record<TokenName, string>> = {
  magic: 'annbook-magic',
  modelName: 'annbook-model-name',
  magicArgument: 'annbook-magic-argument',
  section: 'annbook-section',
  flag: 'annbook-flag',
  flagSeparator: 'annbook-flag-separator',
  number: 'annbook-number',
  comment: 'annbook-comment',
  function: 'annbook-function',
  random: 'annbook-random',
  derivative: 'annbook-derivative',
  sum: 'annbook-sum',
  prePost: 'annbook-pre-post',
  keyword: 'annbook-keyword',
  builtin: 'annbook-builtin',
  operator: 'annbook-operator',
  description: 'annbook-description',
  invalid: 'annbook-invalid'
};

/** The standard tag each token also carries. */
const STANDARD_TAGS: Readonly<Record<TokenName, Tag>> = {
  magic: t.processingInstruction,
  modelName: t.definition(t.className),
  magicArgument: t.attributeValue,
  section: t.heading,
  flag: t.modifier,
  flagSeparator: t.separator,
  number: t.number,
  comment: t.lineComment,
  function: t.standard(t.function(t.variableName)),
  random: t.special(t.function(t.variableName)),
  derivative: t.definition(t.variableName),
  sum: t.special(t.variableName),
  prePost: t.namespace,
  keyword: t.keyword,
  builtin: t.standard(t.variableName),
  operator: t.operator,
  description: t.docString,
  invalid: t.invalid
};

const TOKEN_NAMES = Object.keys(TOKEN_CLASSES) as TokenName[];
const OWN_TAGS = Object.fromEntries(
  TOKEN_NAMES.map(name => [name, Tag.define()])
) as Record<TokenName, Tag>;

/** The language of `%%neuron` / `%%synapse` cells. */
export const modelLanguage = StreamLanguage.define({
  ...modelParser,
  tokenTable: Object.fromEntries(
    TOKEN_NAMES.map(name => [name, [OWN_TAGS[name], STANDARD_TAGS[name]]])
  )
});

/** Puts the `annbook-*` classes on the tokens. */
export const modelHighlighter = tagHighlighter(
  TOKEN_NAMES.map(name => ({ tag: OWN_TAGS[name], class: TOKEN_CLASSES[name] }))
);

/** Language plus highlighter, ready to be placed in an editor. */
export function modelLanguageSupport(): LanguageSupport {
  return new LanguageSupport(modelLanguage, [syntaxHighlighting(modelHighlighter)]);
}
