// The app service on real engine parts: a Teachable Machine export imported as a project,
// predictions on a real photo, the TF.js export, a folder import, and the training guard.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ApiHandlers, type JobContext, toErrorView } from '../../electron/api/handlers.js';
import type { TrainProgress } from '../../electron/api/types.js';
import { AppService } from '../../electron/service/app-service.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import { testDataDir } from '../../models/paths.js';

const TM_EXPORT = path.join(testDataDir(), 'tm-exports', 'image-1');
const SIGNS = path.join(testDataDir(), 'gestures', 'sign-language-digits');

let workDir: string;
let handlers: ApiHandlers;

function context(progress: TrainProgress[] = [], signal = new AbortController().signal): JobContext {
  return { signal, onProgress: (event) => progress.push(event) };
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-service-'));
  handlers = new AppService({ version: 'test', transport: 'http', configDir: path.join(workDir, 'config'), workspaceDir: workDir }).handlers();
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(TM_EXPORT))('Teachable Machine import', () => {
  test('labels become classes', async () => {
    const view = await handlers['project:import-tm']({ modelDir: TM_EXPORT, dir: path.join(workDir, 'tm'), name: 'tm' }, context());
    expect(view.classes.map((item) => item.name)).toEqual(['Thumbs Up', 'Peace', 'Korean Heart', 'Closed Fist', 'Open Palm']);
    expect(view.models).toHaveLength(1);
  });

  // The export's own model also labels its "Peace Sign" sample Closed Fist, so the fist is the check.
  test('imported model predicts its sample', async () => {
    const bytes = new Uint8Array(await readFile(path.join(TM_EXPORT, 'samples', 'closed fist.jpeg')));
    const prediction = await handlers['predict:image']({ image: { name: 'fist.jpeg', bytes } }, context());
    const best = prediction.probabilities.indexOf(Math.max(...prediction.probabilities));
    expect(prediction.labels[best]).toBe('Closed Fist');
  });

  test('probabilities sum to one', async () => {
    const bytes = new Uint8Array(await readFile(path.join(TM_EXPORT, 'samples', 'closed fist.jpeg')));
    const prediction = await handlers['predict:image']({ image: { name: 'fist.jpeg', bytes } }, context());
    expect(prediction.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 4);
  });

  test('TF.js export copies the model folder', async () => {
    const result = await handlers['export:run']({ format: 'tfjs' }, context());
    expect(result.files.map((file) => path.basename(file.file)).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    expect(result.files.every((file) => file.bytes > 0)).toBe(true);
  });

  test('second export gets its own folder', async () => {
    const result = await handlers['export:run']({ format: 'tfjs' }, context());
    expect(result.dir).toBe('exports/tfjs-v1-2');
  });

  test('ONNX export runs in onnxruntime', async () => {
    const result = await handlers['export:run']({ format: 'onnx' }, context());
    expect(result.files.map((file) => path.basename(file.file)).sort()).toEqual(['labels.txt', 'model.onnx']);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(path.join(workDir, 'tm', result.dir, 'model.onnx'));
    const input = await loadImageInput(path.join(TM_EXPORT, 'samples', 'closed fist.jpeg'), { size: 224, channels: 3 });
    const outputs = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, [1, 224, 224, 3]) });
    const probabilities = Array.from(outputs[session.outputNames[0]].data as Float32Array);
    expect(probabilities.indexOf(Math.max(...probabilities))).toBe(3);
    await session.release();
  });

  test('TFLite float32 estimate before saving', async () => {
    const estimate = await handlers['export:estimate']({ format: 'tflite', variant: 'float32' }, context());
    expect(estimate.sizeBytes).toBeGreaterThan(100_000);
    expect(existsSync(path.join(workDir, 'tm', 'exports', 'tflite-float32-v1'))).toBe(false);
  });

  test('unknown format rejected', async () => {
    await expect(handlers['export:run']({ format: 'exe' }, context())).rejects.toMatchObject({ code: 'invalid_argument' });
  });

  test('corrupt image named in the error', async () => {
    const error = await handlers['predict:image']({ image: { name: 'bad.jpg', bytes: new TextEncoder().encode('not an image') } }, context()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_input' });
  });
});

describe.skipIf(!existsSync(SIGNS))('folder import', () => {
  test('subfolders become classes with their images', async () => {
    const source = path.join(workDir, 'source');
    for (const digit of ['1', '2']) {
      await mkdir(path.join(source, `sign-${digit}`), { recursive: true });
      const photos = (await readdir(path.join(SIGNS, digit))).filter((name) => /\.jpe?g$/i.test(name)).slice(0, 3);
      for (const photo of photos) await copyFile(path.join(SIGNS, digit, photo), path.join(source, `sign-${digit}`, photo));
    }
    const progress: TrainProgress[] = [];
    const view = await handlers['project:import-folder']({ sourceDir: source, dir: path.join(workDir, 'imported'), name: 'imported' }, context(progress));
    expect(view.classes.map((item) => `${item.name}:${item.sampleCount}`).sort()).toEqual(['sign-1:3', 'sign-2:3']);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6 });
  });

  test('recent list has the latest project first', async () => {
    const recent = await handlers['project:recent']({}, context());
    expect(recent[0]).toBe(path.join(workDir, 'imported'));
  });

  test('training without a second class rejected', async () => {
    const view = await handlers['project:create']({ dir: path.join(workDir, 'single'), name: 'single' }, context());
    expect(view.classes).toEqual([]);
    const added = await handlers['class:add']({ name: 'only' }, context());
    const bytes = new Uint8Array(await readFile(path.join(SIGNS, '1', (await readdir(path.join(SIGNS, '1'))).find((name) => /\.jpe?g$/i.test(name))!)));
    await handlers['sample:add']({ classId: added.classes[0].id, files: [{ name: 'one.jpg', bytes }] }, context());
    await expect(handlers['train:start']({ settings: { ...view.settings, epochs: 1 } }, context())).rejects.toMatchObject({ code: 'invalid_input' });
  });

  test('training error carries its message key', async () => {
    const view = await handlers['project:open']({ dir: path.join(workDir, 'single') }, context());
    const error = await handlers['train:start']({ settings: { ...view.settings, epochs: 1 } }, context()).catch((caught: unknown) => toErrorView(caught));
    expect(error).toMatchObject({ key: 'training_too_few_classes', params: { count: 1 } });
  });

  test('skipped empty file carries its message key', async () => {
    const view = await handlers['project:open']({ dir: path.join(workDir, 'single') }, context());
    const added = await handlers['sample:add']({ classId: view.classes[0].id, files: [{ name: 'empty.jpg', bytes: new Uint8Array(0) }] }, context());
    expect(added.skipped).toEqual([expect.objectContaining({ source: 'empty.jpg', key: 'image_empty', params: expect.objectContaining({ file: 'empty.jpg' }) })]);
  });

  test('skipped duplicate carries its message key', async () => {
    const view = await handlers['project:open']({ dir: path.join(workDir, 'single') }, context());
    const bytes = new Uint8Array(await readFile(path.join(SIGNS, '1', (await readdir(path.join(SIGNS, '1'))).find((name) => /\.jpe?g$/i.test(name))!)));
    const added = await handlers['sample:add']({ classId: view.classes[0].id, files: [{ name: 'again.jpg', bytes }] }, context());
    expect(added.skipped).toEqual([{ source: 'again.jpg', reason: expect.any(String), key: 'sample_duplicate', params: { file: 'again.jpg' } }]);
  });
});
