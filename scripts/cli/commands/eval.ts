// `edge-trainer eval MODEL FOLDER`: accuracy, per-class precision and recall, and the confusion
// matrix on a folder of class folders whose names are the model's labels.

import { EdgeTrainerError } from '../../../models/errors.js';
import { evaluatePredictions } from '../../../models/evaluation/metrics.js';
import { classifyFiles } from '../classify.js';
import type { CliCommand } from '../command.js';
import { EXIT_INVALID_INPUT } from '../exit-codes.js';
import { formatPercent, formatTable } from '../format.js';
import { readClassFolders } from '../image-files.js';
import { openModel } from '../model-formats/index.js';
import { addBackendOption, addBatchSizeOption, addJsonOption, type BatchOptions, type ComputeOptions, type JsonOptions } from '../options.js';

/** Finds the model label a folder stands for: exact name first, then ignoring case and spaces. */
function matchLabel(folderName: string, labels: readonly string[]): number {
  const exact = labels.indexOf(folderName);
  if (exact >= 0) return exact;
  const normalized = folderName.trim().toLowerCase();
  return labels.findIndex((label) => label.trim().toLowerCase() === normalized);
}

export const evalCommand: CliCommand = {
  name: 'eval',

  configure(command, t) {
    command
      .description(t('eval_description'))
      .argument('<model>', t('argument_model'))
      .argument('<folder>', t('argument_class_folders'));
    addBatchSizeOption(command, t);
    addBackendOption(command, t);
    addJsonOption(command, t);
  },

  async run(context, command) {
    const t = context.t;
    const [modelPath, folder] = command.processedArgs as [string, string];
    const options = command.opts<ComputeOptions & JsonOptions & BatchOptions>();
    const backend = await context.useBackend(options.backend);
    const classes = await readClassFolders(folder);
    const model = await openModel(modelPath);

    const trueIndexByFile = new Map<string, number>();
    try {
      for (const classFolder of classes) {
        const index = matchLabel(classFolder.label, model.labels);
        if (index < 0) {
          throw new EdgeTrainerError('invalid_input', `The folder "${classFolder.label}" in ${folder} matches no class of the model (classes: ${model.labels.join(', ')}).`, {
            path: folder,
            hint: 'Rename each class folder to one of the model\'s class names.',
          });
        }
        for (const file of classFolder.files) trueIndexByFile.set(file, index);
      }
    } catch (error) {
      model.dispose();
      throw error;
    }

    const files = [...trueIndexByFile.keys()];
    const { predictions, failures } = await classifyFiles(context, model, files, options.batchSize, t('eval_progress'));
    const skipped = [...failures].map(([file, failure]) => ({ file, ...failure }));

    const classCount = model.labels.length;
    const probabilities = new Float32Array(predictions.length * classCount);
    predictions.forEach((prediction, row) => probabilities.set(prediction.probabilities, row * classCount));
    const metrics = evaluatePredictions(
      probabilities,
      predictions.map((prediction) => trueIndexByFile.get(prediction.file) as number),
      model.labels,
      predictions.map((prediction) => prediction.file),
    );

    context.print(t('eval_accuracy', { accuracy: formatPercent(metrics.accuracy), count: metrics.count }));
    const table = [[t('eval_column_class'), t('eval_column_count'), t('eval_column_correct'), t('eval_column_accuracy')]];
    for (const entry of metrics.perClass) {
      if (entry.count > 0) table.push([entry.label, String(entry.count), String(entry.correct), formatPercent(entry.accuracy ?? 0)]);
    }
    for (const line of formatTable(table)) context.print(line);
    context.print(t('eval_confusion_title'));
    const confusionRows = [['', ...metrics.labels]];
    metrics.confusion.forEach((row, index) => confusionRows.push([metrics.labels[index], ...row.map(String)]));
    for (const line of formatTable(confusionRows)) context.print(line);

    if (skipped.length > 0) {
      context.exitCode = EXIT_INVALID_INPUT;
      context.note(t('eval_skipped', { count: skipped.length }));
    }
    return { model: modelPath, folder, backend, ...metrics, skipped };
  },
};
