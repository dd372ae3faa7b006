// The TFLite section of `npm run bench`: export time, file size and TFLite interpreter latency of
// every variant, for a 224x224 RGB Teachable Machine classifier and the 96x96 grayscale one.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { initBackend } from '../models/backend.js';
import { BASES } from '../models/bases/registry.js';
import { assembleClassifier } from '../models/classifier/assemble.js';
import { loadCalibrationFolder } from '../models/exporters/tflite/calibration-set.js';
import { buildTflite } from '../models/exporters/tflite/export.js';
import { TflitePredictor } from '../models/exporters/tflite/predict.js';
import { TFLITE_VARIANTS, type TfliteVariant } from '../models/exporters/tflite/variants.js';
import { loadLayersModelDir } from '../models/io/layers-dir.js';
import { loadImageInput } from '../models/images/preprocess.js';
import { testDataDir } from '../models/paths.js';
import { trainClassifier } from '../models/training/train.js';

/** Interpreter runs timed per variant, after one warm-up run. */
const TIMED_RUNS = 20;
const CALIBRATION_PER_CLASS = 4;

const MODELS = Object.freeze([
  { dir: 'image-1', input: { size: 224, channels: 3 as const } },
  { dir: 'tiny-image-1', input: { size: 96, channels: 1 as const } },
]);

export interface TfliteBenchRow {
  model: string;
  variant: TfliteVariant;
  sizeBytes: number;
  exportMs: number;
  inferenceMs: number;
}

export interface Int8AccuracyRow {
  variant: TfliteVariant;
  heldOut: number;
  float32Accuracy: number;
  accuracy: number;
  top1Agreement: number;
}

/** Held-out photos per class for the int8 accuracy check; the other 30 per class train the head. */
const ACCURACY_HELD_OUT_PER_CLASS = 30;
const ACCURACY_CALIBRATION_PER_CLASS = 8;

/**
 * Trains the sign-language classifier with the engine (Teachable Machine defaults, seed 7) on 30
 * photos per class, then compares int8 and uint8 with float32 on the 30 per class held out.
 */
async function int8AccuracyRows(photos: string): Promise<Int8AccuracyRow[]> {
  const input = BASES['mobilenet-v2-224'].input;
  const labels = (await readdir(photos, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const train: { file: string; label: string }[] = [];
  const heldOut: { file: string; label: string }[] = [];
  for (const label of labels) {
    const files = (await readdir(path.join(photos, label))).filter((name) => /\.jpe?g$/i.test(name)).sort();
    const cut = files.length - ACCURACY_HELD_OUT_PER_CLASS;
    train.push(...files.slice(0, cut).map((name) => ({ file: path.join(photos, label, name), label })));
    heldOut.push(...files.slice(cut).map((name) => ({ file: path.join(photos, label, name), label })));
  }

  const result = await trainClassifier(train, { base: 'mobilenet-v2-224', seed: 7, labels });
  const model = await assembleClassifier('mobilenet-v2-224', result.head);

  const calibration: Float32Array[] = [];
  for (const label of labels) {
    const files = train.filter((sample) => sample.label === label);
    for (let i = 0; i < ACCURACY_CALIBRATION_PER_CLASS; i++) {
      calibration.push(await loadImageInput(files[Math.floor((i * files.length) / ACCURACY_CALIBRATION_PER_CLASS)].file, input));
    }
  }

  const evaluation = { inputs: [] as Float32Array[], labels: [] as number[] };
  for (const sample of heldOut) {
    evaluation.inputs.push(await loadImageInput(sample.file, input));
    evaluation.labels.push(labels.indexOf(sample.label));
  }

  const rows: Int8AccuracyRow[] = [];
  for (const variant of ['int8', 'uint8'] as const) {
    const built = await buildTflite(model, labels, { variant, calibration, percentile: 99.99, evaluation });
    const accuracy = built.report.accuracy!;
    rows.push({ variant, heldOut: accuracy.samples, float32Accuracy: accuracy.float32Accuracy, accuracy: accuracy.accuracy, top1Agreement: accuracy.top1Agreement });
  }
  model.dispose();
  return rows;
}

/** Measures every variant of both models; bench.ts runs it in a worker process. */
export async function tfliteWorker(backend: string): Promise<{ rows: TfliteBenchRow[]; int8Accuracy: Int8AccuracyRow[] }> {
  await initBackend(backend);
  const rows: TfliteBenchRow[] = [];
  const photos = path.join(testDataDir(), 'gestures', 'sign-language-digits');
  for (const { dir, input } of MODELS) {
    const modelDir = path.join(testDataDir(), 'tm-exports', dir);
    const model = await loadLayersModelDir(modelDir);
    const labels: string[] = JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')).labels;
    const calibration = (await loadCalibrationFolder(photos, input, { imagesPerClass: CALIBRATION_PER_CLASS })).inputs;
    for (const variant of Object.keys(TFLITE_VARIANTS) as TfliteVariant[]) {
      const exportStart = performance.now();
      const built = await buildTflite(model, labels, { variant, calibration });
      const exportMs = performance.now() - exportStart;
      const predictor = await TflitePredictor.fromBytes(built.bytes, `${dir} ${variant}`);
      predictor.predict(calibration[0]);
      const start = performance.now();
      for (let run = 0; run < TIMED_RUNS; run++) predictor.predict(calibration[run % calibration.length]);
      const inferenceMs = (performance.now() - start) / TIMED_RUNS;
      predictor.dispose();
      rows.push({ model: dir, variant, sizeBytes: built.bytes.length, exportMs, inferenceMs });
    }
    model.dispose();
  }
  return { rows, int8Accuracy: await int8AccuracyRows(photos) };
}

/** Returns the markdown section, one table row per model and variant of the worker's result. */
export function tfliteSection(result: { rows: TfliteBenchRow[]; int8Accuracy: Int8AccuracyRow[] } | { error: string }): string[] {
  const lines = [
    '## TFLite export',
    '',
    `\`buildTflite\` on the Teachable Machine exports tm-exports/image-1 (MobileNetV2 0.35, 224x224 RGB) and tiny-image-1`,
    `(MobileNetV1 0.25, 96x96 gray). int8 and uint8 calibrate on ${CALIBRATION_PER_CLASS * 6} sign-language-digit photos. Inference is the`,
    `TFLite WebAssembly interpreter (1 thread) on one preprocessed photo, mean of ${TIMED_RUNS} runs after a warm-up, input quantization included.`,
    '',
  ];
  if ('error' in result) return [...lines, `Failed: ${result.error}`];
  lines.push('| model | variant | size bytes | export s | inference ms/image |', '|---|---|---|---|---|');
  for (const row of result.rows) lines.push(`| ${row.model} | ${row.variant} | ${row.sizeBytes} | ${(row.exportMs / 1000).toFixed(1)} | ${row.inferenceMs.toFixed(1)} |`);
  const percent = (value: number) => `${(100 * value).toFixed(1)}%`;
  lines.push(
    '',
    `Accuracy of int8 against float32 for a sign-language classifier trained by the engine (Teachable Machine defaults,`,
    `seed 7) on 30 photos per class, measured on the ${ACCURACY_HELD_OUT_PER_CLASS} photos per class that training never saw; calibration`,
    `on ${ACCURACY_CALIBRATION_PER_CLASS} training photos per class at percentile 99.99:`,
    '',
    '| variant | held-out photos | float32 accuracy | int8 accuracy | drop (points) | same top-1 as float32 |',
    '|---|---|---|---|---|---|',
    ...result.int8Accuracy.map((row) => `| ${row.variant} | ${row.heldOut} | ${percent(row.float32Accuracy)} | ${percent(row.accuracy)} | ${(100 * (row.float32Accuracy - row.accuracy)).toFixed(2)} | ${percent(row.top1Agreement)} |`),
  );
  lines.push(
    '',
    "Teachable Machine's own TFLite exports of the same MobileNetV2 0.35 224 architecture (its cloud converter), for size:",
    '',
    '| Teachable Machine export | size bytes |',
    '|---|---|',
    ...teachableMachineTfliteSizes().map(({ name, bytes }) => `| ${name} | ${bytes} |`),
  );
  return lines;
}

/** Sizes of the Teachable Machine TFLite exports in the test data, float ("model_unquant") and quantized. */
function teachableMachineTfliteSizes(): { name: string; bytes: number }[] {
  const root = path.join(testDataDir(), 'tm-tflite-keras');
  const sizes: { name: string; bytes: number }[] = [];
  for (const project of readdirSync(root).sort()) {
    for (const folder of ['converted_tflite', 'converted_tflite_quantized']) {
      const dir = path.join(root, project, folder);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.tflite'))) {
        sizes.push({ name: `${project}/${folder}/${file}`, bytes: statSync(path.join(dir, file)).size });
      }
    }
  }
  return sizes;
}
