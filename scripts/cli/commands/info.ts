// `edge-trainer info MODEL`: what a model is (format, base, input, classes, training metrics).

import { openModel } from '../model-formats/index.js';
import type { CliCommand } from '../command.js';
import { formatInput, formatTable } from '../format.js';
import { addBackendOption, addJsonOption, type ComputeOptions, type JsonOptions } from '../options.js';

export const infoCommand: CliCommand = {
  name: 'info',

  configure(command, t) {
    command.description(t('info_description')).argument('<model>', t('argument_model'));
    addBackendOption(command, t);
    addJsonOption(command, t);
  },

  async run(context, command) {
    const t = context.t;
    const [modelPath] = command.processedArgs as [string];
    const options = command.opts<ComputeOptions & JsonOptions>();
    await context.useBackend(options.backend);

    const model = await openModel(modelPath);
    const details = model.describe();
    model.dispose();

    const rows: string[][] = [
      [t('info_field_format'), model.format],
      [t('info_field_input'), formatInput(model.input)],
      [t('info_field_classes'), `${model.labels.length}: ${model.labels.join(', ')}`],
    ];
    for (const [key, value] of Object.entries(details)) {
      if (value !== null && typeof value !== 'object') rows.push([key, String(value)]);
    }
    for (const line of formatTable(rows)) context.print(line);
    if (details.metrics && typeof details.metrics === 'object') context.print(`metrics  ${JSON.stringify(details.metrics)}`);

    return { model: modelPath, format: model.format, labels: model.labels, input: model.input, ...details };
  },
};
