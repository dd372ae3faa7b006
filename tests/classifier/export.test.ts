import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { assembleClassifier } from '../../models/classifier/assemble.js';
import { extractHead } from '../../models/classifier/head.js';
import { loadClassifier } from '../../models/classifier/load.js';
import type { ClassifierMetadata } from '../../models/classifier/metadata.js';
import { saveClassifierDir } from '../../models/classifier/save.js';
import type { Classifier } from '../../models/classifier/types.js';
import { childLayers, findBaseEntry, topologyEntry } from '../../models/classifier/tm-layout.js';
import { readLayersArtifacts } from '../../models/io/layers-dir.js';
import { maxAbsDifference, photoBatch, samplePhotos, tmExportDir } from './fixtures.js';

let scratch: string;

async function predictionDifference(a: Classifier | tf.LayersModel, b: Classifier, inputs: tf.Tensor4D): Promise<number> {
  const modelA = 'model' in a ? a.model : a;
  const outputA = modelA.predict(inputs) as tf.Tensor;
  const outputB = b.model.predict(inputs) as tf.Tensor;
  const difference = maxAbsDifference(outputA, outputB);
  tf.dispose([outputA, outputB]);
  return difference;
}

async function readMetadata(dir: string): Promise<ClassifierMetadata> {
  return JSON.parse(await readFile(path.join(dir, 'metadata.json'), 'utf8')) as ClassifierMetadata;
}

describe('classifier export', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    scratch = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-export-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('v2 224 assemble, save, load round trip', async () => {
    const tm = await loadClassifier(tmExportDir('image-1'));
    const { head, pooling } = extractHead(tm.model);
    expect(pooling).toBe('global-average');
    const assembled = await assembleClassifier('mobilenet-v2-224', head);
    const inputs = await photoBatch(samplePhotos(), tm.input);
    expect(await predictionDifference(assembled, tm, inputs)).toBeLessThanOrEqual(1e-5);

    const dir = path.join(scratch, 'v2');
    await saveClassifierDir({ model: assembled, labels: tm.labels, baseId: 'mobilenet-v2-224', report: { valAccuracy: 0.9 } }, dir);
    const loaded = await loadClassifier(dir);
    expect(await predictionDifference(tm, loaded, inputs)).toBeLessThanOrEqual(1e-5);
    expect(loaded.source).toBe('edge-trainer');
    expect(loaded.baseId).toBe('mobilenet-v2-224');
    expect(loaded.labels).toEqual(tm.labels);
    tf.dispose(inputs);
    tm.model.dispose();
    loaded.model.dispose();
  });

  it('v2 224 metadata for Teachable Machine', async () => {
    const metadata = await readMetadata(path.join(scratch, 'v2'));
    expect(metadata.packageName).toBe('@teachablemachine/image');
    expect(metadata.imageSize).toBe(224);
    expect(metadata.grayscale).toBeUndefined();
    expect(metadata.tfjsVersion).toBe(tf.version.tfjs);
    expect(typeof metadata.timeStamp).toBe('string');
    expect(metadata.edgeTrainer?.baseId).toBe('mobilenet-v2-224');
    expect(metadata.edgeTrainer?.input).toEqual({ size: 224, channels: 3 });
    expect(metadata.edgeTrainer?.metrics).toEqual({ valAccuracy: 0.9 });
  });

  it('v2 224 topology in TM layout', async () => {
    const artifacts = await readLayersArtifacts(path.join(scratch, 'v2'));
    const root = topologyEntry(artifacts.modelTopology)!;
    expect(root.class_name).toBe('Sequential');
    const [features, head] = childLayers(root);
    expect(features.class_name).toBe('Sequential');
    expect(childLayers(features).map((layer) => layer.class_name)).toEqual(['Model', 'GlobalAveragePooling2D']);
    expect(childLayers(head).map((layer) => layer.class_name)).toEqual(['Dense', 'Dense']);
    expect(findBaseEntry(artifacts.modelTopology)).toBeDefined();
    expect(artifacts.weightSpecs).toHaveLength(263);
  });

  it('96 gray assemble, save, load round trip', async () => {
    const tm = await loadClassifier(tmExportDir('tiny-image-official'));
    const { head } = extractHead(tm.model);
    const assembled = await assembleClassifier('mobilenet-v1-96-gray', head);
    const dir = path.join(scratch, 'gray');
    await saveClassifierDir({ model: assembled, labels: tm.labels, baseId: 'mobilenet-v1-96-gray' }, dir);
    const loaded = await loadClassifier(dir);
    const inputs = await photoBatch(samplePhotos(), tm.input);
    expect(loaded.input).toEqual({ size: 96, channels: 1 });
    expect(await predictionDifference(tm, loaded, inputs)).toBeLessThanOrEqual(1e-5);
    tf.dispose(inputs);
    tm.model.dispose();
    loaded.model.dispose();
  });

  it('96 gray metadata marks grayscale', async () => {
    const metadata = await readMetadata(path.join(scratch, 'gray'));
    expect(metadata.grayscale).toBe(true);
    expect(metadata.imageSize).toBe(96);
  });

  it('extractHead on a Flatten export', async () => {
    const tm = await loadClassifier(tmExportDir('tiny-image-1'));
    const parts = extractHead(tm.model);
    expect(parts.pooling).toBe('flatten');
    expect(parts.embeddingSize).toBe(2304);
    await expect(assembleClassifier('mobilenet-v1-96-gray', parts.head)).rejects.toMatchObject({ code: 'invalid_argument' });
    tm.model.dispose();
  });

  it('save replaces an earlier model', async () => {
    const tm = await loadClassifier(tmExportDir('image-2'));
    const dir = path.join(scratch, 'v2');
    await saveClassifierDir({ model: tm.model, labels: tm.labels, baseId: 'mobilenet-v2-224', extraFiles: { 'report.txt': 'ok\n' } }, dir);
    expect((await readMetadata(dir)).labels).toEqual(tm.labels);
    expect(await readFile(path.join(dir, 'report.txt'), 'utf8')).toBe('ok\n');
    expect((await readdir(scratch)).filter((name) => name.includes('.partial-') || name.includes('.previous-'))).toEqual([]);
    tm.model.dispose();
  });

  it('save rejects a folder of other files', async () => {
    const tm = await loadClassifier(tmExportDir('image-2'));
    const dir = path.join(scratch, 'photos');
    await mkdir(dir);
    await writeFile(path.join(dir, 'cat.jpg'), 'not really a photo');
    await expect(saveClassifierDir({ model: tm.model, labels: tm.labels, baseId: 'mobilenet-v2-224' }, dir)).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(await readdir(dir)).toEqual(['cat.jpg']);
    tm.model.dispose();
  });

  it('save rejects mismatched labels', async () => {
    const tm = await loadClassifier(tmExportDir('image-2'));
    const request = { model: tm.model, labels: ['a', 'b'], baseId: 'mobilenet-v2-224' };
    await expect(saveClassifierDir(request, path.join(scratch, 'labels'))).rejects.toMatchObject({ code: 'invalid_argument' });
    tm.model.dispose();
  });
});
