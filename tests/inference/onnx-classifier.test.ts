import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { OnnxClassifier, readLabels } from '../../models/inference/onnx-classifier.js';
import { loadLayersModelDir } from '../../models/io/layers-dir.js';
import { testDataDir } from '../../models/paths.js';
import { gesturePhotos, loadBatch, maxAbsDifference } from './fixtures.js';

const IMAGE_1 = () => path.join(testDataDir(), 'tm-exports/image-1');

describe('OnnxClassifier', () => {
  let workDir: string;

  beforeAll(async () => {
    await initBackend();
    workDir = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-classifier-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('TM image-1 matches tfjs on photos', async () => {
    const classifier = await OnnxClassifier.fromModelDir(IMAGE_1());
    const model = await loadLayersModelDir(IMAGE_1());
    const photos = gesturePhotos(12);
    const input = await loadBatch(photos, classifier.input);
    const actual = await classifier.predict(input, photos.length);
    const expected = tf.tidy(() => (model.predict(tf.tensor4d(input, [photos.length, 224, 224, 3])) as tf.Tensor).dataSync());
    expect(classifier.labels).toEqual(await readLabels(IMAGE_1()));
    expect(classifier.input).toEqual({ size: 224, channels: 3 });
    expect(actual).toHaveLength(photos.length * classifier.labels.length);
    expect(maxAbsDifference(actual, expected)).toBeLessThan(1e-4);
    classifier.dispose();
    model.dispose();
  });

  it('missing metadata.json names the file', async () => {
    const dir = path.join(workDir, 'no-metadata');
    await cp(IMAGE_1(), dir, { recursive: true });
    await rm(path.join(dir, 'metadata.json'));
    await expect(OnnxClassifier.fromModelDir(dir)).rejects.toMatchObject({ code: 'corrupt_model', path: path.join(dir, 'metadata.json') });
  });

  it('label count mismatch is rejected', async () => {
    const dir = path.join(workDir, 'wrong-labels');
    await cp(IMAGE_1(), dir, { recursive: true });
    await writeFile(path.join(dir, 'metadata.json'), JSON.stringify({ labels: ['only', 'two'] }));
    await expect(OnnxClassifier.fromModelDir(dir)).rejects.toMatchObject({ code: 'corrupt_model' });
  });

  it('empty batch is rejected', async () => {
    const classifier = await OnnxClassifier.fromModelDir(path.join(testDataDir(), 'tm-exports/tiny-image-1'));
    await expect(classifier.predict(new Float32Array(0), 0)).rejects.toMatchObject({ code: 'invalid_argument' });
    classifier.dispose();
  });
});
