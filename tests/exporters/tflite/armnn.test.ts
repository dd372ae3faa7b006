// Runs our .tflite files in Arm NN (CpuRef backend), a runtime independent of the TFLite
// interpreter, through the python helper beside this file. Float16 is skipped: Arm NN 22 lacks it.
// NOTE: Arm NN's int8 PAD pads with 0 rather than the zero point, so int8 files that keep a PAD
// op (a ZeroPadding2D that SAME padding cannot express) differ near the borders. The models
// here have none: their paddings fold into SAME convolutions.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { loadCalibrationFolder } from '../../../models/exporters/tflite/calibration-set.js';
import { buildTflite } from '../../../models/exporters/tflite/export.js';
import type { TfliteVariant } from '../../../models/exporters/tflite/variants.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { loadLayersModelDir } from '../../../models/io/layers-dir.js';
import { testDataDir } from '../../../models/paths.js';
import { TfliteInterpreter } from '../../../models/tflite/interpreter.js';
import { argmax } from './fixtures.js';

const PYTHON = '/usr/bin/python3';
const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'armnn_run.py');
const hasArmNN = spawnSync(PYTHON, ['-c', 'import pyarmnn'], { stdio: 'ignore' }).status === 0;

/** Quantizes [-1, 1] inputs the way the file's input tensor expects. */
function feedFor(input: Float32Array, dtype: string, scale: number | null, zeroPoint: number | null): Float32Array | Int8Array | Uint8Array {
  if (dtype === 'float32') return input;
  const [low, high, ArrayType] = dtype === 'int8' ? [-128, 127, Int8Array] : [0, 255, Uint8Array];
  const out = new ArrayType(input.length);
  for (let i = 0; i < input.length; i++) out[i] = Math.min(Math.max(Math.round(input[i] / scale! + zeroPoint!), low), high);
  return out;
}

describe.skipIf(!hasArmNN)('tflite exports in Arm NN', () => {
  let workDir: string;

  beforeAll(async () => {
    await initBackend('wasm');
    workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-armnn-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  const cases: { model: string; spec: { size: number; channels: 1 | 3 }; variant: TfliteVariant; photos: string[] }[] = [
    { model: 'tiny-image-1', spec: { size: 96, channels: 1 }, variant: 'float32', photos: ['0/IMG_1118.JPG', '4/IMG_1132.JPG'] },
    { model: 'tiny-image-1', spec: { size: 96, channels: 1 }, variant: 'int8', photos: ['0/IMG_1118.JPG', '4/IMG_1132.JPG', '5/IMG_1123.JPG'] },
    { model: 'image-1', spec: { size: 224, channels: 3 }, variant: 'float32', photos: ['1/IMG_1119.JPG'] },
    { model: 'image-1', spec: { size: 224, channels: 3 }, variant: 'uint8', photos: ['2/IMG_1181.JPG'] },
  ];

  for (const { model: modelName, spec, variant, photos } of cases) {
    it(`${modelName} ${variant} agrees with the interpreter`, async () => {
      const modelDir = path.join(testDataDir(), 'tm-exports', modelName);
      const model = await loadLayersModelDir(modelDir);
      const labels: string[] = JSON.parse(await readFile(path.join(modelDir, 'metadata.json'), 'utf8')).labels;
      const digits = path.join(testDataDir(), 'gestures/sign-language-digits');
      const calibration = variant === 'float32' ? undefined : (await loadCalibrationFolder(digits, spec, { imagesPerClass: 2 })).inputs;
      const built = await buildTflite(model, labels, { variant, calibration });
      model.dispose();
      const modelPath = path.join(workDir, `${modelName}_${variant}.tflite`);
      await writeFile(modelPath, built.bytes);

      const interpreter = await TfliteInterpreter.create(built.bytes, modelPath);
      const expected: number[][] = [];
      const inputFiles: string[] = [];
      for (const [i, photo] of photos.entries()) {
        const input = await loadImageInput(path.join(digits, photo), spec);
        const { dtype, scale, zeroPoint } = built.report.input;
        const feed = feedFor(input, dtype, scale, zeroPoint);
        expected.push(Array.from(interpreter.run([feed])[0]));
        inputFiles.push(path.join(workDir, `${modelName}_${variant}_${i}.raw`));
        await writeFile(inputFiles[i], new Uint8Array(feed.buffer, feed.byteOffset, feed.byteLength));
      }
      interpreter.dispose();

      const lines = execFileSync(PYTHON, [HELPER, modelPath, ...inputFiles], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n');
      const actual = lines.map((line) => JSON.parse(line) as number[]);
      expect(actual).toHaveLength(photos.length);
      actual.forEach((scores, i) => {
        expect(argmax(scores)).toBe(argmax(expected[i]));
        // Quantized outputs are raw integers: allow a few steps of rounding difference between runtimes.
        const tolerance = variant === 'float32' ? 1e-4 : 8;
        scores.forEach((value, j) => expect(Math.abs(value - expected[i][j])).toBeLessThanOrEqual(tolerance));
      });
    });
  }
});
