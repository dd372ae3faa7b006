// `edge-trainer export MODEL --format NAME --out DIR`: writes a model in a deployable format.
// Formats are a frozen table; each entry reads the model and writes its package.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Option } from 'commander';
import { EdgeTrainerError } from '../../../models/errors.js';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { exportC99, type C99Format } from '../../../models/exporters/c99/export.js';
import { imageSampleInput } from '../../../models/exporters/c99/sample-input.js';
import { readTflite } from '../../../models/tflite/reader.js';
import type { CliCommand, CommandResult } from '../command.js';
import type { CommandContext } from '../context.js';
import type { MessageKey } from '../i18n.js';
import { addJsonOption, numberParser } from '../options.js';

export interface ExportOptions {
  format: string;
  out: string;
  board?: string;
  flashKb?: number;
  ramKb?: number;
  sample?: string;
  labels?: string;
  allowOversize?: boolean;
}

interface ExportFormat {
  descriptionKey: MessageKey;
  run(context: CommandContext, model: string, options: ExportOptions): Promise<CommandResult>;
}

/** Reads a .tflite model; a model folder needs the int8 TFLite exporter, which this branch lacks. */
async function readTfliteModel(model: string): Promise<Uint8Array> {
  let info;
  try {
    info = await stat(model);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Model not found: ${model}.`, { path: model, cause: error });
  }
  if (info.isDirectory()) {
    // TODO: convert model folders through the int8 TFLite exporter once it is on main.
    throw new EdgeTrainerError('unsupported', `Cannot export the model folder ${model} to C yet: it must first be converted to an int8 .tflite file.`, {
      path: model,
      hint: 'Export the folder with --format tflite first, then run this command on the .tflite file.',
    });
  }
  return new Uint8Array(await readFile(model));
}

/** Labels from --labels, else labels.txt beside the model, else none. */
async function readLabels(model: string, labelsFile: string | undefined): Promise<string[]> {
  const file = labelsFile ?? path.join(path.dirname(model), 'labels.txt');
  try {
    return (await readFile(file, 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  } catch (error) {
    if (labelsFile) throw new EdgeTrainerError('not_found', `Labels file not found: ${labelsFile}.`, { path: labelsFile, cause: error });
    return [];
  }
}

function c99Format(format: C99Format): ExportFormat {
  return {
    descriptionKey: format === 'c' ? 'export_format_c' : 'export_format_arduino',
    async run(context, model, options) {
      const board = resolveBoard(options.board, { flashKb: options.flashKb, ramKb: options.ramKb });
      const bytes = await readTfliteModel(model);
      const labels = await readLabels(model, options.labels);
      const tflite = readTflite(bytes, model);
      const graph = tflite.subgraphs[0];
      const exampleInput = options.sample ? await imageSampleInput(options.sample, graph.tensors[graph.inputs[0]]) : undefined;
      const result = await exportC99(bytes, model, { outDir: options.out, board, format, labels, exampleInput, allowOversize: options.allowOversize });
      const { report } = result;
      context.print(report.verdict);
      context.print(context.t('export_c_summary', { arena: report.ram.arenaBytes, flash: report.flash.totalBytes, macs: report.macs, out: options.out }));
      return { format, out: options.out, report, files: result.files };
    },
  };
}

export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = Object.freeze({
  c: c99Format('c'),
  arduino: c99Format('arduino'),
});

export const exportCommand: CliCommand = {
  name: 'export',

  configure(command, t) {
    command
      .description(t('export_description'))
      .argument('<model>', t('export_argument_model'))
      .addOption(new Option('--format <name>', t('export_option_format')).choices(Object.keys(EXPORT_FORMATS)).makeOptionMandatory())
      .requiredOption('--out <dir>', t('export_option_out'))
      .option('--board <name>', t('export_option_board'))
      .option('--flash-kb <kb>', t('export_option_flash_kb'), numberParser(t, 1, 1_048_576))
      .option('--ram-kb <kb>', t('export_option_ram_kb'), numberParser(t, 1, 1_048_576))
      .option('--sample <image>', t('export_option_sample'))
      .option('--labels <file>', t('export_option_labels'))
      .option('--allow-oversize', t('export_option_allow_oversize'));
    addJsonOption(command, t);
  },

  async run(context, command) {
    const [model] = command.processedArgs as [string];
    const options = command.opts<ExportOptions>();
    return EXPORT_FORMATS[options.format].run(context, model, options);
  },
};
