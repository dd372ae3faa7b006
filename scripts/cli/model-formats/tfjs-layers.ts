// Classifier folders in Teachable Machine's TensorFlow.js layout: our exports and TM's.

import { hasModelJson } from '../../../models/io/layers-dir.js';
import { loadClassifier } from '../../../models/classifier/load.js';
import { predictFiles } from '../../../models/classifier/predict.js';
import type { ModelFormat } from './types.js';

export const tfjsLayersFormat: ModelFormat = {
  id: 'tfjs-layers',

  matches: (modelPath) => hasModelJson(modelPath),

  async open(modelPath) {
    const classifier = await loadClassifier(modelPath);
    return {
      format: 'tfjs-layers',
      labels: classifier.labels,
      input: classifier.input,
      predictFiles: (files, options) => predictFiles(classifier, files, options),
      describe: () => ({
        source: classifier.source,
        baseId: classifier.baseId,
        parameters: classifier.model.countParams(),
        modelName: classifier.metadata.modelName ?? null,
        timeStamp: classifier.metadata.timeStamp ?? null,
        tfjsVersion: classifier.metadata.tfjsVersion ?? null,
        tmVersion: classifier.metadata.tmVersion ?? null,
        metrics: classifier.metadata.edgeTrainer?.metrics ?? null,
      }),
      dispose: () => classifier.model.dispose(),
    };
  },
};
