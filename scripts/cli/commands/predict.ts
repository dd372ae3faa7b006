// `edge-trainer predict MODEL IMAGES...`: classifies photos and prints the top class of each.
// Unreadable images are reported by name and skipped; the exit code is then 3.

import { classifyFiles, type FileFailure } from '../classify.js';
import type { CliCommand } from '../command.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { formatPercent, formatTable } from '../format.js';
import { collectImageFiles } from '../image-files.js';
import { openModel } from '../model-formats/index.js';
import { addBackendOption, addBatchSizeOption, addJsonOption, type BatchOptions, type ComputeOptions, type JsonOptions } from '../options.js';

type PredictRow =
  | { file: string; label: string; confidence: number; probabilities: Record<string, number> }
  | { file: string; error: FileFailure };

export const predictCommand: CliCommand = {
  name: 'predict',

  configure(command, t) {
    command
      .description(t('predict_description'))
      .argument('<model>', t('argument_model'))
      .argument('<images...>', t('argument_images'));
    addBatchSizeOption(command, t);
    addBackendOption(command, t);
    addJsonOption(command, t);
  },

  async run(context, command) {
    const t = context.t;
    const [modelPath, imagePaths] = command.processedArgs as [string, string[]];
    const options = command.opts<ComputeOptions & JsonOptions & BatchOptions>();
    const backend = await context.useBackend(options.backend);
    const files = await collectImageFiles(imagePaths);
    const model = await openModel(modelPath);

    const { predictions, failures } = await classifyFiles(context, model, files, options.batchSize, t('predict_progress'));

    const byFile = new Map(predictions.map((prediction) => [prediction.file, prediction]));
    const rows: PredictRow[] = files.map((file) => {
      const prediction = byFile.get(file);
      if (!prediction) return { file, error: failures.get(file) ?? { code: 'invalid_input', message: `No prediction for ${file}.` } };
      const probabilities = Object.fromEntries(model.labels.map((label, index) => [label, prediction.probabilities[index]]));
      return { file, label: prediction.label, confidence: prediction.probabilities[prediction.labelIndex], probabilities };
    });

    const table = [[t('predict_column_file'), t('predict_column_label'), t('predict_column_confidence')]];
    for (const row of rows) table.push('error' in row ? [row.file, t('predict_unreadable'), ''] : [row.file, row.label, formatPercent(row.confidence)]);
    for (const line of formatTable(table)) context.print(line);

    if (failures.size > 0) {
      context.exitCode = EXIT_INVALID_INPUT;
      context.note(t('predict_failures', { count: failures.size, total: files.length }));
    }
    return { model: modelPath, format: model.format, backend, labels: model.labels, predictions: rows };
  },
};
