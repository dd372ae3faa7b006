import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { evaluateHead } from '../../models/evaluation/evaluate-head.js';
import { trainClassifier } from '../../models/training/train.js';
import { digitSamples } from '../models/training/digits.js';

const HELD_OUT_PER_CLASS = 10;
const SEED = 7;

// The base runs on onnxruntime or on tfjs, and both give embeddings within 1e-4 of each other. So a
// head trained with the same seed on either path must score the same on photos training never saw.
describe('training through either path', () => {
  let cacheRoot: string;

  beforeAll(async () => {
    await initBackend('auto');
    cacheRoot = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-paths-'));
  });

  afterAll(async () => {
    await rm(cacheRoot, { recursive: true, force: true });
  });

  async function heldOutScore(runtime: string): Promise<{ accuracy: number; predictions: string[] }> {
    // Each runtime gets its own cache, because cached embeddings are keyed by content, not by runtime.
    const cacheDir = path.join(cacheRoot, runtime);
    const { train, heldOut } = digitSamples(HELD_OUT_PER_CLASS);
    const result = await trainClassifier(train, { seed: SEED, base: 'mobilenet-v2-224', runtime, cacheDir });
    const evaluation = await evaluateHead(result.head, result, heldOut, { runtime, cacheDir });
    result.head.dispose();
    const predictions = evaluation.misclassified.map((item) => `${item.source}:${item.predicted}`).sort();
    return { accuracy: evaluation.accuracy, predictions };
  }

  it('onnx and tfjs give the same held-out accuracy', async () => {
    const onnx = await heldOutScore('onnx');
    const tfjs = await heldOutScore('tfjs');

    expect(onnx.accuracy).toBe(tfjs.accuracy);
    expect(onnx.predictions).toEqual(tfjs.predictions);
  });
});
