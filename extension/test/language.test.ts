import { python } from '@codemirror/lang-python';
import { ensureSyntaxTree, language } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { highlightTree } from '@lezer/highlight';
import { describe, expect, it } from 'vitest';

import { modelHighlighter, modelLanguageSupport, TOKEN_CLASSES } from '../src/language';
import { isModelCell, modelCellSwitch } from '../src/switch';

/** (text, classes) of every highlighted span of a document. */
function highlighted(state: EditorState): [string, string][] {
  const tree = ensureSyntaxTree(state, state.doc.length, 5000);
  expect(tree).not.toBeNull();
  const spans: [string, string][] = [];
  highlightTree(tree!, modelHighlighter, (from, to, classes) => {
    spans.push([state.doc.sliceString(from, to), classes]);
  });
  return spans;
}

const CELL = `%%neuron Izhikevich
parameters:
    a = 0.02 : population
equations:
    dv/dt = 0.04 * v^2 + 5.0 * v + 140.0 - u + sum(exc) : init = -65.0
    du/dt = a * (b * v - u) + Normal(0.0, 1.0)
spike: v >= 30.0
reset:
    v = c   # back to rest
paramters:
    x = 1`;

describe('highlighting', () => {
  it('puts one stable annbook class on each kind of token', () => {
    const state = EditorState.create({ doc: CELL, extensions: [modelLanguageSupport()] });
    const spans = highlighted(state);
    expect(spans).toContainEqual(['%%neuron', 'annbook-magic']);
    expect(spans).toContainEqual(['Izhikevich', 'annbook-model-name']);
    expect(spans).toContainEqual(['parameters:', 'annbook-section']);
    expect(spans).toContainEqual(['population', 'annbook-flag']);
    expect(spans).toContainEqual([':', 'annbook-flag-separator']);
    expect(spans).toContainEqual(['0.02', 'annbook-number']);
    expect(spans).toContainEqual(['dv/dt', 'annbook-derivative']);
    expect(spans).toContainEqual(['sum(exc)', 'annbook-sum']);
    expect(spans).toContainEqual(['Normal', 'annbook-random']);
    expect(spans).toContainEqual(['# back to rest', 'annbook-comment']);
    expect(spans).toContainEqual(['>=', 'annbook-operator']);
    expect(spans).toContainEqual(['paramters:', 'annbook-section annbook-invalid']);
  });

  it('names every class with the annbook- prefix, once', () => {
    const classes = Object.values(TOKEN_CLASSES);
    expect(new Set(classes).size).toBe(classes.length);
    for (const name of classes) {
      expect(name).toMatch(/^annbook-[a-z-]+$/);
    }
  });
});

describe('switching languages', () => {
  const editor = (doc: string, mime = 'text/x-ipython') =>
    EditorState.create({ doc, extensions: [python(), modelCellSwitch(doc, () => mime)] });
  const languageOf = (state: EditorState) => state.facet(language)?.name;
  const replaceFirstLine = (state: EditorState, text: string) =>
    state.update({ changes: { from: 0, to: state.doc.line(1).to, insert: text } }).state;

  it('recognises the model magics on the first non-blank line only', () => {
    expect(isModelCell('%%neuron LIF\nequations: dv/dt = -v')).toBe(true);
    expect(isModelCell('%%synapse Hebb')).toBe(true);
    expect(isModelCell('\n  \n%%neuron?')).toBe(true);
    expect(isModelCell('  %%neuron LIF')).toBe(true);
    expect(isModelCell('%%neurons LIF')).toBe(false);
    expect(isModelCell('%%neuron-x')).toBe(false);
    expect(isModelCell('%%timeit\n%%neuron LIF')).toBe(false);
    expect(isModelCell('x = 1  # %%neuron')).toBe(false);
    expect(isModelCell('%neuron LIF')).toBe(false);
  });

  it('starts a model cell in the model language and a Python cell in Python', () => {
    expect(languageOf(editor('%%neuron LIF\nspike: v > 1'))).toBe('annbook');
    expect(languageOf(editor('import annbook as ann'))).toBe('python');
  });

  it('switches when the first line becomes or stops being a magic', () => {
    let state = editor('x = 1\nparameters:\n    tau = 10.0');
    state = replaceFirstLine(state, '%%neuron LIF');
    expect(languageOf(state)).toBe('annbook');
    state = replaceFirstLine(state, '%%neuro LIF');
    expect(languageOf(state)).toBe('python');
    state = replaceFirstLine(state, '%%synapse S');
    expect(languageOf(state)).toBe('annbook');
  });

  it('leaves the configuration alone when nothing changes', () => {
    const state = editor('%%neuron LIF\nspike: v > 1');
    const typing = state.update({ changes: { from: state.doc.length, insert: '.0' } });
    expect(typing.reconfigured).toBe(false);
    const moving = state.update({ selection: { anchor: 3 } });
    expect(moving.reconfigured).toBe(false);
  });

  it('only switches IPython editors, and follows a change of mime type', () => {
    let mime = 'text/plain';
    let state = EditorState.create({
      doc: '%%neuron LIF',
      extensions: [modelCellSwitch('%%neuron LIF', () => mime)]
    });
    expect(languageOf(state)).toBeUndefined();
    mime = 'text/x-ipython';
    // JupyterLab answers a mime type change with a transaction reconfiguring the editor.
    state = state.update({}).state;
    expect(languageOf(state)).toBe('annbook');
    expect(languageOf(editor('%%neuron LIF', 'text/x-rsrc'))).toBe('python');
  });
});
