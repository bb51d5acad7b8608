/**
 * Switches an editor to the model-cell language while its first line is a model magic.
 *
 * The editor keeps the language JupyterLab gives it (Python in a notebook); a compartment
 * of our own holds either nothing or the model language at the highest precedence, which
 * wins over that language. A transaction extender refills the compartment in the same
 * transaction as the edit that adds or removes the magic, so no frame is drawn with the
 * wrong highlighting, and only when the answer changes.
 */
import { Compartment, EditorState, Extension, Prec, Text } from '@codemirror/state';

import { modelLanguageSupport } from './language';

/** Mime types of the editors in which a cell magic means something (IPython code). */
export const PYTHON_MIME_TYPES: ReadonlySet<string> = new Set([
  'text/x-ipython',
  'text/x-python'
]);

/** A cell is a model cell when its first non-blank line starts with one of these magics. */
const MODEL_MAGIC = /^(?:[ \t]*\r?\n)*[ \t]*%%(?:neuron|synapse)(?![\w-])/;

/** Characters read from the start of a document to decide (blank lines included). */
const HEAD_LENGTH = 1024;

const MODEL_LANGUAGE: Extension = Prec.highest(modelLanguageSupport());

/** Whether a cell's text starts with `%%neuron` or `%%synapse`. */
export function isModelCell(text: string): boolean {
  return MODEL_MAGIC.test(text);
}

function wanted(doc: Text, mimeType: () => string): boolean {
  return PYTHON_MIME_TYPES.has(mimeType()) && isModelCell(doc.sliceString(0, HEAD_LENGTH));
}

/**
 * The editor extension that switches languages.
 *
 * @param initialText Text the editor is created with.
 * @param mimeType Current mime type of the editor's model (it can change, e.g. when the
 *   kernel's language becomes known; JupyterLab then reconfigures the editor, which is a
 *   transaction this extension sees).
 */
export function modelCellSwitch(initialText: string, mimeType: () => string): Extension {
  const compartment = new Compartment();
  const initial = PYTHON_MIME_TYPES.has(mimeType()) && isModelCell(initialText);
  return [
    compartment.of(initial ? MODEL_LANGUAGE : []),
    EditorState.transactionExtender.of(tr => {
      const active = compartment.get(tr.startState) === MODEL_LANGUAGE;
      if (wanted(tr.newDoc, mimeType) === active) {
        return null;
      }
      return { effects: compartment.reconfigure(active ? [] : MODEL_LANGUAGE) };
    })
  ];
}
