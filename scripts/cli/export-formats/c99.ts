// The c and arduino formats of `edge-trainer export`: compile an int8 TFLite model to plain C99
// with a fit report for the board. MODEL is an int8 .tflite file, or a classifier folder that is
// first converted to int8 TFLite with the calibration photos of --calibration.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadClassifier } from '../../../models/classifier/load.js';
import { EdgeTrainerError } from '../../../models/errors.js';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { exportC99, type C99Format } from '../../../models/exporters/c99/export.js';
import { imageSampleInput } from '../../../models/exporters/c99/sample-input.js';
import { DEFAULT_IMAGES_PER_CLASS, loadCalibrationFolder } from '../../../models/exporters/tflite/calibration-set.js';
import { buildTflite } from '../../../models/exporters/tflite/export.js';
import { readTflite } from '../../../models/tflite/reader.js';
import type { CommandContext } from '../context.js';
import type { ExportFormat, ExportOptions } from './types.js';

/** Labels from --labels, else labels.txt beside the .tflite file, else none. */
async function readLabels(model: string, labelsFile: string | undefined): Promise<string[]> {
  const file = labelsFile ?? path.join(path.dirname(model), 'labels.txt');
  try {
    return (await readFile(file, 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  } catch (error) {
    if (labelsFile) throw new EdgeTrainerError('not_found', `Labels file not found: ${labelsFile}.`, { path: labelsFile, cause: error });
    return [];
  }
}

/** Converts a classifier folder to int8 TFLite bytes, calibrated on the --calibration photos. */
async function classifierToInt8(context: CommandContext, modelDir: string, options: ExportOptions): Promise<{ bytes: Uint8Array; labels: string[] }> {
  if (options.calibration === undefined) {
    throw new EdgeTrainerError('invalid_argument', `Exporting the classifier folder ${modelDir} to C needs calibration photos for int8.`, {
      path: modelDir,
      hint: 'Pass --calibration DIR with one folder of photos per class, or export an int8 .tflite file first.',
    });
  }
  context.note(context.t('export_c_from_folder', { model: modelDir }));
  const classifier = await loadClassifier(modelDir);
  try {
    let progress: ReturnType<CommandContext['progress']> | undefined;
    const set = await loadCalibrationFolder(options.calibration, classifier.input, {
      labels: classifier.labels,
      imagesPerClass: options.imagesPerClass ?? DEFAULT_IMAGES_PER_CLASS,
      onProgress: (done, total) => {
        progress ??= context.progress(context.t('export_progress_photos'), total);
        progress.update(done);
      },
    });
    progress?.stop();
    if (set.emptyClasses.length > 0) context.note(context.t('export_empty_classes', { classes: set.emptyClasses.join(', ') }));
    const built = await buildTflite(classifier.model, classifier.labels, { variant: 'int8', calibration: set.inputs, percentile: options.percentile });
    return { bytes: built.bytes, labels: classifier.labels };
  } finally {
    classifier.model.dispose();
  }
}

async function readModel(context: CommandContext, model: string, options: ExportOptions): Promise<{ bytes: Uint8Array; labels: string[] }> {
  let info;
  try {
    info = await stat(model);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Model not found: ${model}.`, { path: model, cause: error });
  }
  if (info.isDirectory()) return classifierToInt8(context, model, options);
  return { bytes: new Uint8Array(await readFile(model)), labels: await readLabels(model, options.labels) };
}

function c99Format(format: C99Format): ExportFormat {
  return {
    id: format,
    variants: ['int8'],
    defaultVariant: 'int8',
    async run(context, model, options) {
      // Board errors come before any slow conversion.
      const board = resolveBoard(options.board, { flashKb: options.flashKb, ramKb: options.ramKb });
      const { bytes, labels } = await readModel(context, model, options);
      const graph = readTflite(bytes, model).subgraphs[0];
      const exampleInput = options.sample ? await imageSampleInput(options.sample, graph.tensors[graph.inputs[0]]) : undefined;
      const result = await exportC99(bytes, model, { outDir: options.out, board, format, labels, exampleInput, allowOversize: options.allowOversize });
      const { report } = result;
      context.print(report.verdict);
      context.print(context.t('export_c_summary', { arena: report.ram.arenaBytes, flash: report.flash.totalBytes, macs: report.macs, out: options.out }));
      return { format, out: options.out, report, files: result.files };
    },
  };
}

export const cExportFormat: ExportFormat = c99Format('c');
export const arduinoExportFormat: ExportFormat = c99Format('arduino');
