/**
 * Line tokenizer of a `%%neuron` / `%%synapse` cell (a CodeMirror stream parser).
 *
 * The cell reads: a magic line (`%%neuron NAME`), then sections opened by a header
 * `name:` at column 0, each followed by its (indented) text; a short section may sit on
 * its header line. Inside a section every definition may end with flags after its last
 * colon that does not belong to a conditional (`if c: a else: b`). The tokenizer never
 * fails: unknown sections, unknown flags, a bad model name and text before the first
 * section are tokens with the `invalid` name, and everything around them is read as usual.
 */
import type { IndentContext, StreamParser, StringStream } from '@codemirror/language';

import vocabulary from './vocabulary.json';

/** Names of the tokens this parser emits (combined with a space for several). */
export type TokenName =
  | 'magic'
  | 'modelName'
  | 'magicArgument'
  | 'section'
  | 'flag'
  | 'flagSeparator'
  | 'number'
  | 'comment'
  | 'function'
  | 'random'
  | 'derivative'
  | 'sum'
  | 'prePost'
  | 'keyword'
  | 'builtin'
  | 'operator'
  | 'description'
  | 'invalid';

export type ModelKind = 'neuron' | 'synapse';

/** What the tokenizer carries from one token (and line) to the next. */
export interface ModelState {
  /** Model kind named by the magic line, null before it. */
  kind: ModelKind | null;
  /** Whether the magic line has been read. */
  afterMagic: boolean;
  /** Whether the current line is the magic line. */
  onMagicLine: boolean;
  /** Whether the model name of the magic line has been read. */
  nameRead: boolean;
  /** Name of the open section (known or not), null before the first header. */
  section: string | null;
  /** Whether the current line is past its flag colon. */
  inFlags: boolean;
  /** Whether the next word in the flags is a flag name (and not a value). */
  expectFlag: boolean;
  /** Colons still owned by `if` / `elif` / `else` of an open conditional. */
  pendingColons: number;
  /** Depth of open parentheses and brackets. */
  depth: number;
  /** Whether the last token asks the next line to continue the same definition. */
  continues: boolean;
}

const MAGIC = /^[ \t]*%%(neuron|synapse)\??/;
const HEADER = /^([A-Za-z_]\w*)[ \t]*:/;
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const DERIVATIVE = /^d[ \t]*[A-Za-z_]\w*[ \t]*\/[ \t]*dt(?!\w)/;
const SUM_TARGET = /^sum[ \t]*\([ \t]*\w*[ \t]*\)/;
const PRE_POST = /^(?:pre|post)\./;
const WORD = /^[A-Za-z_]\w*/;
const FLAG_WORD = /^[A-Za-z_][\w-]*/;
const OPERATOR = /^(?:[+\-*/]=|[<>=!]=|[+\-*/^<>=])/;
const MODEL_NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const CONTINUATION = /^[ \t]*(?:else|elif)(?!\w)/;

const SECTIONS: Record<ModelKind, ReadonlySet<string>> = {
  neuron: new Set(vocabulary.sections.neuron),
  synapse: new Set(vocabulary.sections.synapse)
};
const ANY_SECTION = new Set([...SECTIONS.neuron, ...SECTIONS.synapse]);
const FREE_TEXT = new Set(vocabulary.freeTextSections);
const FLAGS = new Set(vocabulary.flags);
const VALUED_FLAGS = new Set(vocabulary.valuedFlags);
const KEYWORDS = new Set(vocabulary.keywords);
const FUNCTIONS = new Set(vocabulary.functions);
const OPERATIONS = new Set(vocabulary.operations);
const DISTRIBUTIONS = new Set(vocabulary.distributions);
const BUILTIN_NAMES = new Set(vocabulary.builtinNames);
const CONDITIONAL_WORDS = new Set(['if', 'elif', 'else']);

/** A fresh state for the start of a cell. */
export function startState(): ModelState {
  return {
    kind: null,
    afterMagic: false,
    onMagicLine: false,
    nameRead: false,
    section: null,
    inFlags: false,
    expectFlag: false,
    pendingColons: 0,
    depth: 0,
    continues: false
  };
}

function isKnownSection(state: ModelState, name: string): boolean {
  return state.kind ? SECTIONS[state.kind].has(name) : ANY_SECTION.has(name);
}

/** Resets what a line does not inherit; a definition continues after `if c:` or `(`. */
function startLine(stream: StringStream, state: ModelState): void {
  state.onMagicLine = false;
  state.inFlags = false;
  state.expectFlag = false;
  const continued = state.continues || state.depth > 0 || CONTINUATION.test(stream.string);
  if (!continued) {
    state.pendingColons = 0;
    state.depth = 0;
  }
  state.continues = false;
  if (!state.afterMagic) {
    state.afterMagic = true;
    state.onMagicLine = MAGIC.test(stream.string);
  }
}

function magicLineToken(stream: StringStream, state: ModelState): string | null {
  const magic = stream.match(MAGIC) as RegExpMatchArray | null;
  if (magic) {
    state.kind = magic[1] as ModelKind;
    return 'magic';
  }
  if (stream.eatSpace()) {
    return null;
  }
  if (stream.peek() === '#') {
    stream.skipToEnd();
    return 'comment';
  }
  const word = (stream.match(/^[^\s#]+/) as RegExpMatchArray)[0];
  if (state.nameRead) {
    return 'magicArgument';
  }
  state.nameRead = true;
  return MODEL_NAME.test(word) ? 'modelName' : 'modelName invalid';
}

function headerToken(stream: StringStream, state: ModelState): string | null {
  const header = stream.match(HEADER, false) as RegExpMatchArray | null;
  if (!header || CONDITIONAL_WORDS.has(header[1])) {
    return null;
  }
  stream.match(HEADER);
  state.section = header[1];
  state.pendingColons = 0;
  state.depth = 0;
  return isKnownSection(state, header[1]) ? 'section' : 'section invalid';
}

function flagToken(stream: StringStream, state: ModelState): string {
  const word = (stream.match(FLAG_WORD) as RegExpMatchArray)[0];
  state.expectFlag = false;
  if (FLAGS.has(word) || state.section === 'functions') {
    return 'flag';
  }
  if (VALUED_FLAGS.has(word) && stream.match(/^[ \t]*=/, false)) {
    return 'flag';
  }
  return 'flag invalid';
}

function wordToken(stream: StringStream, state: ModelState): string | null {
  const word = (stream.match(WORD) as RegExpMatchArray)[0];
  if (KEYWORDS.has(word)) {
    if (CONDITIONAL_WORDS.has(word)) {
      state.pendingColons += 1;
      state.continues = word === 'else';
    }
    return 'keyword';
  }
  if (DISTRIBUTIONS.has(word)) {
    return 'random';
  }
  if (FUNCTIONS.has(word) && stream.match(/^[ \t]*\(/, false)) {
    return 'function';
  }
  if (state.section === 'operation' && OPERATIONS.has(word)) {
    return 'function';
  }
  if (BUILTIN_NAMES.has(word)) {
    return 'builtin';
  }
  return null;
}

function colonToken(stream: StringStream, state: ModelState): string | null {
  stream.next();
  if (state.depth > 0) {
    return null;
  }
  if (state.pendingColons > 0) {
    state.pendingColons -= 1;
    state.continues = true;
    return 'operator';
  }
  state.inFlags = true;
  state.expectFlag = true;
  return 'flagSeparator';
}

function punctuationToken(stream: StringStream, state: ModelState): string | null {
  const ch = stream.next() as string;
  if ('([{'.includes(ch)) {
    state.depth += 1;
  } else if (')]}'.includes(ch)) {
    state.depth = Math.max(0, state.depth - 1);
  } else if (ch === ',' && state.inFlags && state.depth === 0) {
    state.expectFlag = true;
  } else if (ch === ';' && state.depth === 0) {
    state.inFlags = false;
    state.expectFlag = false;
    state.pendingColons = 0;
  }
  return null;
}

/** The text of a section: expressions, flags, comments. */
function sectionToken(stream: StringStream, state: ModelState): string | null {
  if (state.section !== null && FREE_TEXT.has(state.section)) {
    stream.skipToEnd();
    return 'description';
  }
  if (stream.peek() === '#') {
    stream.skipToEnd();
    return 'comment';
  }
  if (state.section === null) {
    stream.skipToEnd();
    return 'invalid';
  }
  if (state.inFlags && state.expectFlag && stream.match(FLAG_WORD, false)) {
    return flagToken(stream, state);
  }
  if (stream.match(DERIVATIVE)) {
    return 'derivative';
  }
  if (stream.match(SUM_TARGET)) {
    return 'sum';
  }
  if (stream.match(PRE_POST)) {
    return 'prePost';
  }
  if (stream.match(NUMBER)) {
    return 'number';
  }
  if (stream.match(WORD, false)) {
    return wordToken(stream, state);
  }
  if (stream.peek() === ':') {
    return colonToken(stream, state);
  }
  if (stream.match(OPERATOR)) {
    return 'operator';
  }
  return punctuationToken(stream, state);
}

/** Reads one token of a model cell. */
export function token(stream: StringStream, state: ModelState): string | null {
  if (stream.sol()) {
    startLine(stream, state);
    if (!state.onMagicLine) {
      const header = headerToken(stream, state);
      if (header) {
        return header;
      }
    }
  }
  if (state.onMagicLine) {
    return magicLineToken(stream, state);
  }
  if (stream.eatSpace()) {
    return null;
  }
  const continues = state.continues;
  state.continues = false;
  const result = sectionToken(stream, state);
  if (result === 'comment') {
    state.continues = continues;
  }
  return result;
}

/** Lines of a section are indented one unit, a conditional's continuation two. */
export function indent(state: ModelState, textAfter: string, context: IndentContext): number {
  if (state.section === null || HEADER.test(textAfter)) {
    return 0;
  }
  return context.unit * (state.continues || state.depth > 0 ? 2 : 1);
}

/** The stream parser of model cells, for `StreamLanguage.define`. */
export const modelParser: StreamParser<ModelState> = {
  name: 'annbook',
  startState,
  token,
  indent,
  languageData: { commentTokens: { line: '#' } }
};
