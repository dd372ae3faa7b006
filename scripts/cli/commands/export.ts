// `edge-trainer export MODEL --format FORMAT --out PATH`: writes a trained classifier in a
// deployment format. Formats are one frozen table; each lives in export-formats/ and lists its
// variants. To add a format, write export-formats/NAME.ts and add it to EXPORT_FORMATS.

import { Option } from 'commander';
import { EdgeTrainerError } from '../../../models/errors.js';
import type { CliCommand } from '../command.js';
import { arduinoExportFormat, cExportFormat } from '../export-formats/c99.js';
import { onnxExportFormat } from '../export-formats/onnx.js';
import { tfliteExportFormat } from '../export-formats/tflite.js';
import type { ExportFormat, ExportOptions } from '../export-formats/types.js';
import { addComputeOptions, addJsonOption, integerParser, numberParser } from '../options.js';

export const EXPORT_FORMATS: Readonly<Record<string, ExportFormat>> = Object.freeze({
  tflite: tfliteExportFormat,
  c: cExportFormat,
  arduino: arduinoExportFormat,
  onnx: onnxExportFormat,
});

export const exportCommand: CliCommand = {
  name: 'export',

  configure(command, t) {
    command
      .description(t('export_description'))
      .argument('<model>', t('export_argument_model'))
      .addOption(new Option('--format <format>', t('export_option_format')).choices(Object.keys(EXPORT_FORMATS)).makeOptionMandatory())
      .option('--variant <variant>', t('export_option_variant', { variants: Object.values(EXPORT_FORMATS).map((format) => `${format.id}: ${format.variants.join('|')}`).join('; ') }))
      .requiredOption('--out <file>', t('export_option_out'))
      .option('--calibration <dir>', t('export_option_calibration'))
      .option('--percentile <p>', t('export_option_percentile'), numberParser(t, 50.01, 100))
      .option('--images-per-class <n>', t('export_option_images_per_class'), integerParser(t, 1, 10_000))
      .option('--board <name>', t('export_option_board'))
      .option('--flash-kb <kb>', t('export_option_flash_kb'), numberParser(t, 1, 1_048_576))
      .option('--ram-kb <kb>', t('export_option_ram_kb'), numberParser(t, 1, 1_048_576))
      .option('--sample <image>', t('export_option_sample'))
      .option('--labels <file>', t('export_option_labels'))
      .option('--allow-oversize', t('export_option_allow_oversize'));
    addComputeOptions(command, t);
    addJsonOption(command, t);
  },

  async run(context, command) {
    const [modelDir] = command.processedArgs as [string];
    const options = command.opts<ExportOptions & { format: string }>();
    const format = EXPORT_FORMATS[options.format];
    const variant = options.variant ?? format.defaultVariant;
    if (!format.variants.includes(variant)) {
      throw new EdgeTrainerError('invalid_argument', context.t('export_invalid_variant', { variant, format: format.id, variants: format.variants.join(', ') }));
    }
    // A .tflite file is compiled to C without TensorFlow.js, so no backend is loaded or reported.
    if (!modelDir.toLowerCase().endsWith('.tflite')) await context.useBackend(options.backend);
    return format.run(context, modelDir, { ...options, variant });
  },
};
