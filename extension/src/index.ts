/**
 * JupyterLab / Notebook 7 plugin: `%%neuron` and `%%synapse` cells are highlighted as the
 * equation language they contain; every other cell keeps its own language.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { EditorExtensionRegistry, IEditorExtensionRegistry } from '@jupyterlab/codemirror';

import { modelCellSwitch } from './switch';

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'annbook-jupyterlab:model-cells',
  description: 'Highlights %%neuron and %%synapse cells as annbook model descriptions.',
  autoStart: true,
  requires: [IEditorExtensionRegistry],
  activate: (app: JupyterFrontEnd, registry: IEditorExtensionRegistry): void => {
    registry.addExtension({
      name: 'annbook-jupyterlab:model-cells',
      factory: ({ model }) =>
        EditorExtensionRegistry.createImmutableExtension(
          modelCellSwitch(model.sharedModel.getSource(), () => model.mimeType)
        )
    });
  }
};

export default plugin;
