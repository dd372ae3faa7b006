// TFLite export: lowers a trained tfjs classifier, builds the requested variant, checks it, and
// writes the bundle: FILE.tflite, labels.txt beside it (Teachable Machine's "index label" lines)
// and FILE.json with the report.

import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../../errors.js';
import { scaleToUnitRange } from '../../images/preprocess.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { logger } from '../../log.js';
import { readTflite } from '../../tflite/reader.js';
import { calibrateRanges, type TensorRange } from './calibrate.js';
import { compensatedWeights } from './gptq.js';
import { describeModel, type OpSummary, type TensorSummary } from './describe.js';
import { formatLabelsTxt, LABELS_FILE } from './labels.js';
import { lowerModel } from './lower.js';
import { argmax, TflitePredictor } from './predict.js';
import { strictIntegerProblems } from './strict.js';
import { TFLITE_VARIANTS, type TfliteVariant } from './variants.js';
import { writeTflite } from './writer.js';
import { assertNotModelFolder } from '../../io/model-folder-guard.js';

/** Our preprocessing maps pixels 0..255 to exactly this range (see models/images/preprocess.ts). */
const INPUT_RANGE: TensorRange = { min: scaleToUnitRange(0), max: scaleToUnitRange(255) };

export interface LabelledInputs {
  inputs: Float32Array[];
  /** Class index of each input, into the model's labels. */
  labels: number[];
}

export interface TfliteExportOptions {
  variant: TfliteVariant;
  /** Representative inputs in [-1, 1], drawn from every class; needed by int8 and uint8. */
  calibration?: Float32Array[];
  /** 100 (default) calibrates on min/max; lower values such as 99.99 clip outliers. */
  percentile?: number;
  /** Labelled inputs to compare the accuracy of float32 and the exported variant. */
  evaluation?: LabelledInputs;
  onProgress?: (stage: 'calibrate' | 'evaluate', done: number, total: number) => void;
}

export interface AccuracyReport {
  samples: number;
  float32Accuracy: number;
  accuracy: number;
  /** Share of inputs where the variant's top-1 class equals float32's. */
  top1Agreement: number;
}

export interface TfliteExportReport {
  format: 'tflite';
  variant: TfliteVariant;
  file: string;
  sizeBytes: number;
  labels: string[];
  labelsFile: string;
  input: TensorSummary & { preprocessing: string };
  output: TensorSummary;
  calibration: { samples: number; percentile: number } | null;
  /** Whether the file passed the strict integer check (null for float variants, which skip it). */
  strictInteger: boolean | null;
  accuracy: AccuracyReport | null;
  opCounts: Record<string, number>;
  ops: OpSummary[];
}

export interface BuiltTflite {
  bytes: Uint8Array;
  report: Omit<TfliteExportReport, 'file' | 'labelsFile'>;
}

function preprocessingText(channels: number, size: number): string {
  const color = channels === 1 ? ', BT.601 grayscale' : '';
  return `centre square crop, bilinear resize to ${size}x${size} (half-pixel centres)${color}, value / 127.5 - 1 (range [-1, 1]); quantized inputs: q = round(value / scale) + zeroPoint`;
}

async function evaluate(floatBytes: Uint8Array, bytes: Uint8Array, evaluation: LabelledInputs, onProgress: TfliteExportOptions['onProgress']): Promise<AccuracyReport> {
  const reference = await TflitePredictor.fromBytes(floatBytes, 'float32 model');
  const exported = await TflitePredictor.fromBytes(bytes, 'exported model');
  let floatCorrect = 0;
  let correct = 0;
  let agree = 0;
  try {
    evaluation.inputs.forEach((input, i) => {
      const floatTop = argmax(reference.predict(input));
      const top = argmax(exported.predict(input));
      if (floatTop === evaluation.labels[i]) floatCorrect++;
      if (top === evaluation.labels[i]) correct++;
      if (top === floatTop) agree++;
      onProgress?.('evaluate', i + 1, evaluation.inputs.length);
    });
  } finally {
    reference.dispose();
    exported.dispose();
  }
  const samples = evaluation.inputs.length;
  return { samples, float32Accuracy: floatCorrect / samples, accuracy: correct / samples, top1Agreement: agree / samples };
}

/** Builds the variant in memory, checks it and returns the bytes with the report; writes nothing. */
export async function buildTflite(model: tf.LayersModel, labels: string[], options: TfliteExportOptions): Promise<BuiltTflite> {
  const variant = TFLITE_VARIANTS[options.variant];
  if (variant === undefined) {
    throw new EdgeTrainerError('invalid_argument', `Unknown TFLite variant "${String(options.variant)}".`, { hint: `Use one of: ${Object.keys(TFLITE_VARIANTS).join(', ')}.` });
  }
  const floatGraph = lowerModel(model);
  const outputShape = floatGraph.tensors[floatGraph.outputs[0]].shape;
  if (outputShape[outputShape.length - 1] !== labels.length) {
    throw new EdgeTrainerError('invalid_argument', `The model has ${outputShape[outputShape.length - 1]} outputs but ${labels.length} labels.`, {
      hint: 'Check that metadata.json lists one label per class of the model.',
    });
  }

  const percentile = options.percentile ?? 100;
  if (!(percentile > 50 && percentile <= 100)) {
    throw new EdgeTrainerError('invalid_argument', `Invalid calibration percentile ${percentile}: expected a number above 50 and at most 100.`, {
      hint: 'Use 100 for min/max calibration, or for example 99.99 to clip outliers.',
    });
  }
  let ranges: Map<number, TensorRange> | null = null;
  if (variant.needsCalibration) {
    if (!options.calibration || options.calibration.length === 0) {
      throw new EdgeTrainerError('invalid_argument', `The ${variant.id} variant needs calibration images, got none.`, {
        hint: 'Pass --calibration DIR with one folder of images per class, or export float32, float16 or dynamic.',
      });
    }
    ranges = await calibrateRanges(floatGraph, options.calibration, { percentile, onProgress: (done, total) => options.onProgress?.('calibrate', done, total) });
  }

  const floatBytes = writeTflite(floatGraph, { description: 'Edge Trainer float32' });
  // Calibrated variants also get error-compensated weights for their 1x1 convolutions and Dense layers.
  const weights = ranges ? await compensatedWeights(floatGraph, options.calibration!) : undefined;
  const bytes = variant.id === 'float32' ? floatBytes : writeTflite(variant.build(floatGraph, ranges, INPUT_RANGE, weights), { description: `Edge Trainer ${variant.id}` });
  const parsed = readTflite(bytes, `${variant.id} export`);
  let strictInteger: boolean | null = null;
  if (variant.integerOnly) {
    const problems = strictIntegerProblems(parsed);
    if (problems.length > 0) {
      throw new EdgeTrainerError('unsupported', `The ${variant.id} export is not a strict integer model: ${problems.slice(0, 3).join('; ')}.`, {
        hint: 'Export the float32 or dynamic variant instead, and report the layers listed.',
      });
    }
    strictInteger = true;
  }

  const description = describeModel(parsed);
  const [, size, , channels] = description.inputs[0].shape;
  const accuracy = options.evaluation && options.evaluation.inputs.length > 0 ? await evaluate(floatBytes, bytes, options.evaluation, options.onProgress) : null;
  return {
    bytes,
    report: {
      format: 'tflite',
      variant: variant.id as TfliteVariant,
      sizeBytes: bytes.length,
      labels: [...labels],
      input: { ...description.inputs[0], preprocessing: preprocessingText(channels, size) },
      output: description.outputs[0],
      calibration: ranges ? { samples: options.calibration!.length, percentile } : null,
      strictInteger,
      accuracy,
      opCounts: description.opCounts,
      ops: description.ops,
    },
  };
}

/** Path of the report written beside `out`: FILE.tflite -> FILE.json. */
export function reportPathFor(out: string): string {
  return path.join(path.dirname(out), `${path.basename(out, path.extname(out))}.json`);
}

/** Writes a built model, labels.txt and the report; each file is written atomically. */
export async function writeTfliteBundle(built: BuiltTflite, out: string): Promise<TfliteExportReport> {
  const labelsPath = path.join(path.dirname(out), LABELS_FILE);
  if (path.resolve(reportPathFor(out)) === path.resolve(out) || path.resolve(labelsPath) === path.resolve(out)) {
    throw new EdgeTrainerError('invalid_argument', `Invalid output file ${out}: the report and ${LABELS_FILE} are written beside it under their own names.`, {
      path: out,
      hint: 'Name the output FILE.tflite.',
    });
  }
  await assertNotModelFolder(path.dirname(path.resolve(out)), 'the TFLite export');
  const report: TfliteExportReport = { ...built.report, file: path.basename(out), labelsFile: LABELS_FILE };
  try {
    await writeFileAtomic(out, built.bytes);
    await writeFileAtomic(labelsPath, formatLabelsTxt(built.report.labels));
    await writeFileAtomic(reportPathFor(out), `${JSON.stringify(report, null, 2)}\n`);
  } catch (error) {
    throw new EdgeTrainerError('invalid_argument', `Cannot write the TFLite export to ${out}: ${(error as Error).message}`, {
      path: out,
      hint: 'Check that the output folder exists and is writable.',
      cause: error,
    });
  }
  logger.info(`tflite: wrote ${out} (${report.variant}, ${report.sizeBytes} bytes)`);
  return report;
}

/**
 * Exports `model` as TFLite to `out` with labels.txt and the JSON report beside it, and returns
 * the report. int8 and uint8 need `options.calibration`.
 */
export async function exportTflite(model: tf.LayersModel, labels: string[], options: TfliteExportOptions, out: string): Promise<TfliteExportReport> {
  return writeTfliteBundle(await buildTflite(model, labels, options), out);
}
