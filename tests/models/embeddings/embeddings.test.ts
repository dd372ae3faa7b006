import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadBase } from '../../../models/bases/load.js';
import { EmbeddingCache, type EmbeddingKey } from '../../../models/embeddings/cache.js';
import { type EmbeddingItem, type EmbeddingProgress, computeEmbeddings } from '../../../models/embeddings/compute.js';
import { createEmbedder } from '../../../models/embeddings/embedder.js';
import { EdgeTrainerError } from '../../../models/errors.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { sha256Hex } from '../../../models/project/samples.js';
import { temporaryDir, writeTextAsJpeg } from '../project/fixtures.js';
import { digitFiles } from '../training/digits.js';

const GRAY = 'mobilenet-v1-96-gray';
const GRAY_SPEC = { size: 96, channels: 1 } as const;

function itemFor(file: string, key?: EmbeddingKey): EmbeddingItem {
  return { key, source: file, load: () => loadImageInput(file, GRAY_SPEC) };
}

function keyFor(index: number): EmbeddingKey {
  return { sha256: sha256Hex(new Uint8Array([index])), baseId: GRAY, variant: 0 };
}

describe('embedder', () => {
  it('embedding sizes per base', async () => {
    for (const [baseId, size, spec] of [
      ['mobilenet-v2-224', 1280, { size: 224, channels: 3 }],
      [GRAY, 256, GRAY_SPEC],
    ] as const) {
      const embedder = await createEmbedder(baseId);
      const input = await loadImageInput(digitFiles('0')[0], spec);
      const output = await embedder.embed(input, 1);
      // auto runs the base on onnxruntime-node, which this install has.
      expect(embedder.runtime).toBe('onnx');
      expect(output, baseId).toHaveLength(size);
      embedder.dispose();
    }
  });

  it('embedding is the pooled feature map', async () => {
    const embedder = await createEmbedder(GRAY, 'tfjs');
    const input = await loadImageInput(digitFiles('3')[0], GRAY_SPEC);
    const embedding = await embedder.embed(input, 1);
    const base = await loadBase(GRAY);
    const expected = tf.tidy(() => (base.predict(tf.tensor4d(input, [1, 96, 96, 1])) as tf.Tensor).mean([1, 2]).dataSync());
    expect(Array.from(embedding)).toEqual(Array.from(expected));
  });

  it('unknown runtime lists known ones', async () => {
    await expect(createEmbedder(GRAY, 'coreml')).rejects.toThrow(/coreml/);
    await expect(createEmbedder(GRAY, 'coreml')).rejects.toMatchObject({ hint: expect.stringContaining('tfjs') });
  });

  it('unknown base is rejected', async () => {
    await expect(createEmbedder('vgg16')).rejects.toBeInstanceOf(EdgeTrainerError);
  });
});

describe('embedding cache', () => {
  it('round trip keeps every bit', async () => {
    const cache = new EmbeddingCache(await temporaryDir());
    const values = Float32Array.from([0, -1.5, 3.4028234663852886e38, 1e-45, Math.PI]);
    await cache.put(keyFor(1), values);
    expect(await cache.get(keyFor(1), 5)).toEqual(values);
    expect(await cache.get(keyFor(2), 5)).toBeUndefined();
  });

  it('variant keys need an augmentation digest', async () => {
    const cache = new EmbeddingCache(await temporaryDir());
    expect(() => cache.entryPath({ ...keyFor(1), variant: 2 })).toThrow(/augmentation digest/);
    expect(cache.entryPath({ ...keyFor(1), variant: 2, augmentation: 'abc' })).toMatch(/\.v2\.abc\.emb$/);
  });

  it('damaged entry reads as a miss', async () => {
    const cache = new EmbeddingCache(await temporaryDir());
    await cache.put(keyFor(1), Float32Array.from([1, 2, 3]));
    await writeFile(cache.entryPath(keyFor(1)), 'garbage');
    expect(await cache.get(keyFor(1), 3)).toBeUndefined();
  });
});

describe('computeEmbeddings', () => {
  it('second pass comes from the cache', async () => {
    const embedder = await createEmbedder(GRAY);
    const cache = new EmbeddingCache(await temporaryDir());
    const items = digitFiles('4').slice(0, 10).map((file, index) => itemFor(file, keyFor(index)));
    const progress: EmbeddingProgress[] = [];
    const first = await computeEmbeddings(items, embedder, { cache, batchSize: 4, onProgress: (event) => progress.push(event) });
    const second = await computeEmbeddings(items, embedder, { cache, batchSize: 4 });
    expect(progress.map((event) => event.done)).toEqual([4, 8, 10]);
    expect(first.cached).toBe(0);
    expect(second.cached).toBe(10);
    expect(second.vectors).toEqual(first.vectors);
  });

  it('batching does not change embeddings', async () => {
    const embedder = await createEmbedder(GRAY);
    const items = digitFiles('5').slice(0, 5).map((file) => itemFor(file));
    const single = await computeEmbeddings(items, embedder, { batchSize: 1 });
    const batched = await computeEmbeddings(items, embedder, { batchSize: 5 });
    for (let i = 0; i < items.length; i++) {
      const difference = Math.max(...single.vectors[i]!.map((value, j) => Math.abs(value - batched.vectors[i]![j])));
      expect(difference, `item ${i}`).toBeLessThan(1e-4);
    }
  });

  it('unreadable file is reported and skipped', async () => {
    const embedder = await createEmbedder(GRAY);
    const broken = await writeTextAsJpeg(await temporaryDir());
    const items = [itemFor(digitFiles('0')[0]), itemFor(broken), itemFor(digitFiles('0')[1])];
    const result = await computeEmbeddings(items, embedder);
    expect(result.failures.map((failure) => [failure.index, failure.source])).toEqual([[1, broken]]);
    expect(result.vectors[1]).toBeNull();
    expect(result.vectors[2]).toHaveLength(256);
  });

  it('aborted signal cancels', async () => {
    const embedder = await createEmbedder(GRAY);
    const controller = new AbortController();
    controller.abort();
    const run = computeEmbeddings([itemFor(digitFiles('0')[0])], embedder, { signal: controller.signal });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});
