import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { BASES } from '../../models/bases/registry.js';
import { setLogLevel } from '../../models/log.js';
import { baseGraphPath, loadBaseGraph } from '../../models/inference/base-graph.js';
import { embedInBatches } from '../../models/inference/image-batch.js';
import { OnnxEmbedder } from '../../models/inference/onnx-embedder.js';
import { createTfjsEmbedder } from '../../models/embeddings/tfjs-embedder.js';
import { pretrainedDir } from '../../models/paths.js';
import { gesturePhotos, loadBatch, maxAbsDifference } from './fixtures.js';

const TOLERANCE = 1e-4;

/** Creates a bases folder whose base folders link to the installed ones, so cache files land in a temporary place. */
async function linkedBases(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-bases-'));
  for (const info of Object.values(BASES)) await symlink(path.join(pretrainedDir(), info.dirName), path.join(root, info.dirName));
  return root;
}

describe('OnnxEmbedder', () => {
  let root: string;

  beforeAll(async () => {
    await initBackend();
    root = await linkedBases();
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const baseId of Object.keys(BASES)) {
    it(`${baseId} matches tfjs on photos`, async () => {
      const onnx = await OnnxEmbedder.create(baseId, { root });
      const tfjs = await createTfjsEmbedder(baseId);
      const photos = gesturePhotos();
      const input = await loadBatch(photos, BASES[baseId].input);
      const actual = await onnx.embed(input, photos.length);
      const expected = await embedInBatches(tfjs, input, photos.length, 16);
      expect(photos).toHaveLength(360);
      expect(actual).toHaveLength(photos.length * BASES[baseId].embeddingSize);
      expect(maxAbsDifference(actual, expected)).toBeLessThan(TOLERANCE);
      onnx.dispose();
      tfjs.dispose();
    });
  }

  it('graph cache is written then reused', async () => {
    const file = baseGraphPath('mobilenet-v1-96-gray', root);
    await rm(file, { force: true });
    const first = await loadBaseGraph('mobilenet-v1-96-gray', root);
    const second = await loadBaseGraph('mobilenet-v1-96-gray', root);
    expect(first.fromCache).toBe(false);
    expect(first.file).toBe(file);
    expect(second.fromCache).toBe(true);
    expect(second.bytes).toEqual(first.bytes);
  });

  it('damaged cache is exported again', async () => {
    const file = baseGraphPath('mobilenet-v1-96-gray', root);
    await loadBaseGraph('mobilenet-v1-96-gray', root);
    await writeFile(file, 'not an onnx model');
    // The rebuild logs a warning by design; keep it out of the test output.
    setLogLevel('error');
    const embedder = await OnnxEmbedder.create('mobilenet-v1-96-gray', { root }).finally(() => setLogLevel('warn'));
    const embedding = await embedder.embed(new Float32Array(96 * 96), 1);
    expect(embedding).toHaveLength(256);
    expect((await stat(file)).size).toBeGreaterThan(100_000);
    expect((await readFile(file)).subarray(0, 17).toString()).not.toBe('not an onnx model');
    embedder.dispose();
  });

  it('damaged base is rejected with a cached graph', async () => {
    const damagedRoot = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-damaged-'));
    const info = BASES['mobilenet-v1-96-gray'];
    const installed = path.join(pretrainedDir(), info.dirName);
    await mkdir(path.join(damagedRoot, info.dirName));
    await symlink(path.join(installed, 'model.json'), path.join(damagedRoot, info.dirName, 'model.json'));
    const weights = await readFile(path.join(installed, 'weights.bin'));
    weights[100] ^= 0xff;
    await writeFile(path.join(damagedRoot, info.dirName, 'weights.bin'), weights);
    const cached = await loadBaseGraph('mobilenet-v1-96-gray', root);
    await mkdir(path.dirname(baseGraphPath('mobilenet-v1-96-gray', damagedRoot)));
    await writeFile(baseGraphPath('mobilenet-v1-96-gray', damagedRoot), cached.bytes);
    await expect(OnnxEmbedder.create('mobilenet-v1-96-gray', { root: damagedRoot })).rejects.toMatchObject({ code: 'missing_base' });
    await rm(damagedRoot, { recursive: true, force: true });
  });

  it('wrong input length is rejected', async () => {
    const embedder = await OnnxEmbedder.create('mobilenet-v1-96-gray', { root });
    await expect(embedder.embed(new Float32Array(96 * 96 * 2 - 1), 2)).rejects.toMatchObject({ code: 'invalid_argument' });
    embedder.dispose();
  });

  it('zero images return an empty result', async () => {
    const embedder = await OnnxEmbedder.create('mobilenet-v1-96-gray', { root });
    expect(await embedder.embed(new Float32Array(0), 0)).toHaveLength(0);
    embedder.dispose();
  });
});
