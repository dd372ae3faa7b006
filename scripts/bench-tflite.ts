// The TFLite section of `npm run bench`: export time, file size and TFLite interpreter latency of
// every variant, for a 224x224 RGB Teachable Machine classifier and the 96x96 grayscale one.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { initBackend } from '../models/backend.js';
import { loadCalibrationFolder } from '../models/exporters/tflite/calibration-set.js';
import { buildTflite } from '../models/exporters/tflite/export.js';
import { TflitePredictor } from '../models/exporters/tflite/predict.js';
import { TFLITE_VARIANTS, type TfliteVariant } from '../models/exporters/tflite/variants.js';
import { loadLayersModelDir } from '../models/io/layers-dir.js';
import { testDataDir } from '../models/paths.js';

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

/** Measures every variant of both models; bench.ts runs it in a worker process. */
export async function tfliteWorker(backend: string): Promise<{ rows: TfliteBenchRow[] }> {
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
  return { rows };
}

/** Returns the markdown section, one table row per model and variant of the worker's result. */
export function tfliteSection(result: { rows: TfliteBenchRow[] } | { error: string }): string[] {
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
