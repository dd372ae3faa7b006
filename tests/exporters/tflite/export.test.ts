import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { loadCalibrationFolder } from '../../../models/exporters/tflite/calibration-set.js';
import { exportTflite } from '../../../models/exporters/tflite/export.js';
import { predictTflite } from '../../../models/exporters/tflite/predict.js';
import { loadLayersModelDir } from '../../../models/io/layers-dir.js';
import { testDataDir } from '../../../models/paths.js';
import { argmax } from './fixtures.js';

const TINY_DIR = path.join(testDataDir(), 'tm-exports/tiny-image-1');
const DIGITS_DIR = path.join(testDataDir(), 'gestures/sign-language-digits');

describe('tflite export bundle', () => {
  let workDir: string;
  let tiny: tf.LayersModel;
  let labels: string[];

  beforeAll(async () => {
    await initBackend('wasm');
    workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-tflite-'));
    tiny = await loadLayersModelDir(TINY_DIR);
    labels = JSON.parse(await readFile(path.join(TINY_DIR, 'metadata.json'), 'utf8')).labels;
  });

  afterAll(async () => {
    tiny.dispose();
    await rm(workDir, { recursive: true, force: true });
  });

  it('int8 writes model, labels and report', async () => {
    const calibration = await loadCalibrationFolder(DIGITS_DIR, { size: 96, channels: 1 }, { imagesPerClass: 2 });
    expect(calibration.inputs).toHaveLength(12);
    // Interleaved across classes, so any prefix covers every class it can.
    expect(calibration.files.slice(0, 6).map((file) => path.basename(path.dirname(file)))).toEqual(['0', '1', '2', '3', '4', '5']);

    const out = path.join(workDir, 'tiny_int8.tflite');
    const report = await exportTflite(tiny, labels, { variant: 'int8', calibration: calibration.inputs, percentile: 99.99 }, out);
    const bytes = await readFile(out);
    expect(report.sizeBytes).toBe(bytes.length);
    expect(report.strictInteger).toBe(true);
    expect(report.calibration).toEqual({ samples: 12, percentile: 99.99 });
    expect(report.input.shape).toEqual([1, 96, 96, 1]);
    expect(report.input.preprocessing).toMatch(/grayscale/);

    const labelLines = (await readFile(path.join(workDir, 'labels.txt'), 'utf8')).trimEnd().split('\n');
    expect(labelLines).toHaveLength(26);
    expect(labelLines[0]).toBe('0 A');
    const saved = JSON.parse(await readFile(path.join(workDir, 'tiny_int8.json'), 'utf8'));
    expect(saved.variant).toBe('int8');
    expect(saved.input.scale).toBe(report.input.scale);
    expect(saved.ops.length).toBeGreaterThan(20);

    const scores = await predictTflite(out, calibration.inputs[0]);
    expect(scores).toHaveLength(26);
    const reference = tf.tidy(() => (tiny.predict(tf.tensor4d(calibration.inputs[0], [1, 96, 96, 1])) as tf.Tensor).dataSync());
    expect(argmax(scores)).toBe(argmax(reference));
  });

  it('empty calibration folder is rejected', async () => {
    const empty = path.join(workDir, 'empty');
    await mkdir(path.join(empty, 'A'), { recursive: true });
    await writeFile(path.join(empty, 'A', 'notes.txt'), 'not an image');
    await expect(loadCalibrationFolder(empty, { size: 96, channels: 1 })).rejects.toThrow(/No images in the calibration folder/);
  });

  it('missing calibration folder is rejected', async () => {
    await expect(loadCalibrationFolder(path.join(workDir, 'absent'), { size: 96, channels: 1 })).rejects.toThrow(/Cannot read the calibration folder/);
  });

  it('label count mismatch is rejected', async () => {
    await expect(exportTflite(tiny, ['A', 'B'], { variant: 'float32' }, path.join(workDir, 'x.tflite'))).rejects.toThrow(/26 outputs but 2 labels/);
  });

  it('unsupported layer names the layer', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'elu', name: 'head' })] });
    await expect(exportTflite(model, ['a', 'b', 'c'], { variant: 'float32' }, path.join(workDir, 'y.tflite'))).rejects.toThrow(/layer "sequential_\d+\/head" \(Dense\) uses activation "elu"/);
    model.dispose();
  });

  it('unwritable output is rejected', async () => {
    const out = path.join(workDir, 'no-such-folder', 'model.tflite');
    await expect(exportTflite(tiny, labels, { variant: 'float32' }, out)).rejects.toThrow(/Cannot write the TFLite export/);
  });
});
