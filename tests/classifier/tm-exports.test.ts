import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { canonicalWeightChecksum } from '../../models/bases/checksum.js';
import { readVerifiedBase } from '../../models/bases/load.js';
import { loadClassifier } from '../../models/classifier/load.js';
import { predictFiles } from '../../models/classifier/predict.js';
import { findBaseEntry, layerNames, weightOfLayers } from '../../models/classifier/tm-layout.js';
import { readLayersArtifacts } from '../../models/io/layers-dir.js';
import { maxAbsDifference, photoBatch, samplePhotos, TM_IMAGE_EXPORTS, tmExportDir } from './fixtures.js';

describe('loadClassifier on Teachable Machine exports', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const tmExport of TM_IMAGE_EXPORTS) {
    it(`${tmExport.name} matches tfjs predictions`, async () => {
      const dir = tmExportDir(tmExport.name);
      const classifier = await loadClassifier(dir);
      const reference = await tf.loadLayersModel(tf.io.fromMemory(await readLayersArtifacts(dir)));
      const inputs = await photoBatch(samplePhotos(), classifier.input);

      const ours = classifier.model.predict(inputs) as tf.Tensor;
      const theirs = reference.predict(inputs) as tf.Tensor;
      expect(ours.shape).toEqual([3, tmExport.classCount]);
      expect(maxAbsDifference(ours, theirs)).toBeLessThanOrEqual(1e-5);

      tf.dispose([inputs, ours, theirs]);
      classifier.model.dispose();
      reference.dispose();
    });

    it(`${tmExport.name} input, labels and base`, async () => {
      const classifier = await loadClassifier(tmExportDir(tmExport.name));
      expect(classifier.input).toEqual(tmExport.input);
      expect(classifier.labels).toHaveLength(tmExport.classCount);
      expect(classifier.baseId).toBe(tmExport.baseId);
      expect(classifier.source).toBe('teachable-machine');
      classifier.model.dispose();
    });

    it(`${tmExport.name} embeds the installed base`, async () => {
      const artifacts = await readLayersArtifacts(tmExportDir(tmExport.name));
      const baseEntry = findBaseEntry(artifacts.modelTopology);
      expect(baseEntry).toBeDefined();
      const inBase = weightOfLayers(layerNames(baseEntry!));
      const installed = await readVerifiedBase(tmExport.baseId);
      expect(artifacts.weightSpecs!.filter((spec) => inBase(spec.name))).toHaveLength(installed.weightSpecs!.length);
      expect(canonicalWeightChecksum(artifacts, inBase)).toBe(canonicalWeightChecksum(installed));
    });
  }

  it('predictFiles labels the image-1 samples', async () => {
    const classifier = await loadClassifier(tmExportDir('image-1'));
    const files = samplePhotos();
    const predictions = await predictFiles(classifier, files, { batchSize: 2 });
    expect(predictions.map((prediction) => prediction.file)).toEqual(files);
    for (const prediction of predictions) {
      expect(prediction.probabilities.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 4);
      expect(classifier.labels).toContain(prediction.label);
    }
    classifier.model.dispose();
  });

  it('audio export is not an image model', async () => {
    await expect(loadClassifier(tmExportDir('audio-1'))).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('not an image model') });
  });

  it('pose export is not an image model', async () => {
    await expect(loadClassifier(tmExportDir('pose-1'))).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('not an image model') });
  });
});
