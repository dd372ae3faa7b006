// The tflite format of `edge-trainer export`: loads the classifier and the calibration photos,
// builds the variant, prints its size and its accuracy next to float32 on held-out calibration
// photos, and only then writes FILE.tflite, labels.txt and FILE.json.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadClassifier } from '../../../models/classifier/load.js';
import type { Classifier } from '../../../models/classifier/types.js';
import { DEFAULT_IMAGES_PER_CLASS, loadCalibrationFolder } from '../../../models/exporters/tflite/calibration-set.js';
import { buildTflite, reportPathFor, writeTfliteBundle, type BuiltTflite, type LabelledInputs } from '../../../models/exporters/tflite/export.js';
import { LABELS_FILE } from '../../../models/exporters/tflite/labels.js';
import { TFLITE_VARIANTS, type TfliteVariant } from '../../../models/exporters/tflite/variants.js';
import type { CommandContext } from '../context.js';
import type { ExportFormat, ExportOptions } from './types.js';

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

/**
 * Splits the photos of each class folder alternately into calibration and evaluation, so the
 * accuracy is measured on photos the ranges were not fitted to.
 */
function splitCalibration(inputs: Float32Array[], labels: number[], files: string[]): { calibration: Float32Array[]; evaluation: LabelledInputs } {
  const seen = new Map<string, number>();
  const calibration: Float32Array[] = [];
  const evaluation: LabelledInputs = { inputs: [], labels: [] };
  inputs.forEach((input, i) => {
    const folder = path.dirname(files[i]);
    const count = seen.get(folder) ?? 0;
    seen.set(folder, count + 1);
    if (count % 2 === 0 || labels[i] < 0) calibration.push(input);
    else {
      evaluation.inputs.push(input);
      evaluation.labels.push(labels[i]);
    }
  });
  return { calibration, evaluation };
}

/**
 * Loads the --calibration photos of every class for `classifier` and splits them into a
 * calibration set and held-out labelled photos; both are undefined without --calibration.
 */
export async function prepareCalibration(
  context: CommandContext,
  classifier: Classifier,
  options: ExportOptions,
): Promise<{ calibration?: Float32Array[]; evaluation?: LabelledInputs }> {
  const t = context.t;
  if (options.calibration === undefined) return {};
  const perClass = 2 * (options.imagesPerClass ?? DEFAULT_IMAGES_PER_CLASS);
  let progress: ReturnType<CommandContext['progress']> | undefined;
  const set = await loadCalibrationFolder(options.calibration, classifier.input, {
    labels: classifier.labels,
    imagesPerClass: perClass,
    onProgress: (done, total) => {
      progress ??= context.progress(t('export_progress_photos'), total);
      progress.update(done);
    },
  });
  progress?.stop();
  if (set.emptyClasses.length > 0) context.note(t('export_empty_classes', { classes: set.emptyClasses.join(', ') }));
  const split = splitCalibration(set.inputs, set.labels, set.files);
  if (split.evaluation.inputs.length === 0) context.note(t('export_no_evaluation'));
  return split;
}

/**
 * Loads the classifier in `modelDir` and builds `variant`, calibrated and checked on the
 * --calibration photos, with progress bars. Prints the size and, for quantized variants, the
 * accuracy next to float32.
 */
export async function buildVariantWithReport(context: CommandContext, modelDir: string, variant: TfliteVariant, options: ExportOptions): Promise<{ built: BuiltTflite; labels: string[] }> {
  const t = context.t;
  const classifier = await loadClassifier(modelDir);
  const { calibration, evaluation } = await prepareCalibration(context, classifier, options);

  let bar: ReturnType<CommandContext['progress']> | undefined;
  let barStage = '';
  const built = await buildTflite(classifier.model, classifier.labels, {
    variant,
    calibration,
    percentile: options.percentile,
    evaluation: variant === 'float32' ? undefined : evaluation,
    onProgress: (stage, done, total) => {
      if (stage !== barStage) {
        bar?.stop();
        bar = context.progress(t(stage === 'calibrate' ? 'export_progress_calibrate' : 'export_progress_evaluate'), total);
        barStage = stage;
      }
      bar!.update(done);
    },
  });
  bar?.stop();
  classifier.model.dispose();

  context.print(t('export_tflite_size', { variant, kilobytes: (built.bytes.length / 1024).toFixed(1), bytes: built.bytes.length }));
  if (built.report.strictInteger) context.print(t('export_tflite_strict'));
  const accuracy = built.report.accuracy;
  if (accuracy) {
    context.print(t('export_tflite_accuracy', { variant, float32: percent(accuracy.float32Accuracy), accuracy: percent(accuracy.accuracy), agreement: percent(accuracy.top1Agreement), count: accuracy.samples }));
  }
  return { built, labels: classifier.labels };
}

async function run(context: CommandContext, modelDir: string, options: ExportOptions) {
  const t = context.t;
  const { built } = await buildVariantWithReport(context, modelDir, options.variant as TfliteVariant, options);

  await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
  const report = await writeTfliteBundle(built, options.out);
  const labelsPath = path.join(path.dirname(options.out), LABELS_FILE);
  const reportPath = reportPathFor(options.out);
  context.print(t('export_written', { files: [options.out, labelsPath, reportPath].join(', ') }));
  return { ...report, out: options.out, labelsPath, reportPath };
}

export const tfliteExportFormat: ExportFormat = {
  id: 'tflite',
  variants: Object.keys(TFLITE_VARIANTS),
  defaultVariant: 'float32',
  run,
};
