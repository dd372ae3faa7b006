// Cuts the pretrained base out of a classifier in Teachable Machine's layout: its Model entry
// becomes the top-level topology, and only the weights of its layers are kept, in manifest order.
// Every TM image export carries the base unchanged, so this recovers the base without a download.

import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';
import { findBaseEntry, layerNames, topologyEntry, weightOfLayers } from './tm-layout.js';

const FLOAT32_BYTES = 4;

function notAClassifier(source: string, reason: string): EdgeTrainerError {
  return new EdgeTrainerError('invalid_input', `Cannot take the pretrained base out of ${source}: ${reason}.`, {
    path: source,
    hint: 'Give a Teachable Machine image export (TensorFlow.js): a folder with model.json, weights.bin and metadata.json.',
  });
}

/** Returns the artifacts of the base Model nested in `artifacts`; `source` names the file in errors. */
export function cutBaseArtifacts(artifacts: tf.io.ModelArtifacts, source: string): tf.io.ModelArtifacts {
  const root = topologyEntry(artifacts.modelTopology);
  const baseEntry = findBaseEntry(artifacts.modelTopology);
  if (!root || !baseEntry) throw notAClassifier(source, 'its model.json has no nested base Model');
  const data = artifacts.weightData;
  if (data === undefined || Array.isArray(data)) throw notAClassifier(source, 'expected one weight buffer');

  const inBase = weightOfLayers(layerNames(baseEntry));
  const specs: tf.io.WeightsManifestEntry[] = [];
  const slices: Uint8Array[] = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs ?? []) {
    if (spec.dtype !== 'float32' || spec.quantization) throw notAClassifier(source, `weight ${spec.name} is not plain float32`);
    const byteLength = spec.shape.reduce((product, dim) => product * dim, 1) * FLOAT32_BYTES;
    if (inBase(spec.name)) {
      specs.push({ ...spec });
      slices.push(new Uint8Array(data, offset, byteLength));
    }
    offset += byteLength;
  }
  if (specs.length === 0) throw notAClassifier(source, 'no weight belongs to the base layers');


  // keras_version and backend are kept so the base model.json reads like the one tfjs wrote.
  const { keras_version: kerasVersion, backend } = root as { keras_version?: unknown; backend?: unknown };
  return {
    modelTopology: { class_name: baseEntry.class_name, config: baseEntry.config, keras_version: kerasVersion, backend },
    weightSpecs: specs,
    weightData: tf.io.concatenateArrayBuffers(slices.map((slice) => slice.slice().buffer)),
    format: 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
}
