// The c and arduino formats of `edge-trainer export`: compile an int8 TFLite model to plain C99.
// MODEL is any .tflite file, or a classifier folder, which is first quantized to int8 with the
// --calibration photos exactly as `--format tflite --variant int8` does.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../../../models/errors.js';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { exportC99, type C99Format } from '../../../models/exporters/c99/export.js';
import { kb } from '../../../models/exporters/c99/fit-report.js';
import { imageSampleInput } from '../../../models/exporters/c99/sample-input.js';
import { parseLabelsTxt } from '../../../models/exporters/tflite/labels.js';
import { readTflite } from '../../../models/tflite/reader.js';
import type { CommandContext } from '../context.js';
import { buildVariantWithReport } from './tflite.js';
import type { ExportFormat, ExportOptions } from './types.js';

interface Int8Model {
  bytes: Uint8Array;
  labels: string[];
}

/** Labels from --labels, else labels.txt beside the model, else none. */
async function readLabels(model: string, labelsFile: string | undefined): Promise<string[]> {
  const file = labelsFile ?? path.join(path.dirname(model), 'labels.txt');
  try {
    return parseLabelsTxt(await readFile(file, 'utf8'));
  } catch (error) {
    if (labelsFile) throw new EdgeTrainerError('not_found', `Labels file not found: ${labelsFile}.`, { path: labelsFile, cause: error });
    return [];
  }
}

async function quantizeFolder(context: CommandContext, modelDir: string, options: ExportOptions): Promise<Int8Model> {
  if (options.calibration === undefined) {
    throw new EdgeTrainerError('invalid_argument', `Exporting the model folder ${modelDir} to C needs --calibration DIR to quantize it to int8.`, {
      path: modelDir,
      hint: 'Pass --calibration with a folder of photos, one sub-folder per class, or export an int8 .tflite file first.',
    });
  }
  const { built, labels } = await buildVariantWithReport(context, modelDir, 'int8', options);
  return { bytes: built.bytes, labels };
}

async function readInt8Model(context: CommandContext, model: string, options: ExportOptions): Promise<Int8Model> {
  let info;
  try {
    info = await stat(model);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Model not found: ${model}.`, {
      path: model,
      hint: 'Give the folder written by edge-trainer train or exported by Teachable Machine, or a .tflite file.',
      cause: error,
      key: 'model_not_found',
      params: { path: model },
    });
  }
  if (info.isDirectory()) return quantizeFolder(context, model, options);
  return { bytes: new Uint8Array(await readFile(model)), labels: await readLabels(model, options.labels) };
}

function c99Format(format: C99Format): ExportFormat {
  return {
    id: format,
    variants: ['int8'],
    defaultVariant: 'int8',
    async run(context, model, options) {
      const board = resolveBoard(options.board, { flashKb: options.flashKb, ramKb: options.ramKb });
      const { bytes, labels } = await readInt8Model(context, model, options);
      const graph = readTflite(bytes, model).subgraphs[0];
      const exampleInput = options.sample ? await imageSampleInput(options.sample, graph.tensors[graph.inputs[0]]) : undefined;
      const result = await exportC99(bytes, model, { outDir: options.out, board, format, labels, exampleInput, allowOversize: options.allowOversize });
      const { report } = result;
      context.print(
        context.t(report.fits ? 'export_c_fits' : 'export_c_does_not_fit', {
          board: report.board.name,
          flash: kb(report.flash.totalBytes),
          flash_free: kb(report.flash.availableBytes),
          ram: kb(report.ram.totalBytes),
          ram_free: kb(report.ram.availableBytes),
        }),
      );
      context.print(context.t('export_c_summary', { arena: report.ram.arenaBytes, flash: report.flash.totalBytes, macs: report.macs, out: options.out }));
      return { format, out: options.out, report, files: result.files };
    },
  };
}

export const cExportFormat = c99Format('c');
export const arduinoExportFormat = c99Format('arduino');
