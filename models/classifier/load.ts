// Loads a classifier folder written by Edge Trainer or exported by Teachable Machine (image
// projects, standard 224x224 RGB and "tiny" 96x96 grayscale, from tfjs 1.1 to 1.7 exports).

import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';
import type { InputSpec } from '../images/preprocess.js';
import { MODEL_JSON, readLayersArtifacts } from '../io/layers-dir.js';
import { type ClassifierMetadata, METADATA_JSON, readClassifierMetadata } from './metadata.js';
import { identifyBase } from './tm-layout.js';
import type { Classifier } from './types.js';

function invalidModel(dir: string, reason: string, cause?: unknown): EdgeTrainerError {
  return new EdgeTrainerError('corrupt_model', `Invalid classifier ${dir}: ${reason}.`, {
    path: path.join(dir, MODEL_JSON),
    hint: 'Export the model again from Edge Trainer or Teachable Machine (TensorFlow.js image model).',
    cause,
    key: 'classifier_invalid',
    params: { dir },
  });
}

/** Reads the image input spec from the model's input shape [batch, size, size, channels]. */
function inputSpecOf(model: tf.LayersModel, dir: string): InputSpec {
  const shape = model.inputs[0]?.shape ?? [];
  const [, height, width, channels] = shape;
  if (shape.length !== 4 || height === null || height !== width || (channels !== 1 && channels !== 3)) {
    throw new EdgeTrainerError('unsupported', `${dir} is not an image model: its input shape is [${shape.join(', ')}].`, {
      path: path.join(dir, MODEL_JSON),
      hint: 'Expected a square RGB or grayscale image input, [batch, size, size, 3 or 1].',
    });
  }
  return { size: height, channels };
}

function checkAgreement(model: tf.LayersModel, metadata: ClassifierMetadata, input: InputSpec, dir: string): void {
  const metadataFile = path.join(dir, METADATA_JSON);
  const outputShape = model.outputs[0]?.shape ?? [];
  const classCount = outputShape[outputShape.length - 1];
  if (outputShape.length !== 2 || classCount !== metadata.labels.length) {
    throw invalidModel(dir, `${METADATA_JSON} lists ${metadata.labels.length} labels but the model outputs shape [${outputShape.join(', ')}]`);
  }
  // TM's library crops to metadata.imageSize (default 224) before predicting, so a mismatch would
  // break it even though tfjs loads the model.
  if (metadata.imageSize !== undefined && metadata.imageSize !== input.size) {
    throw new EdgeTrainerError('corrupt_model', `Invalid ${metadataFile}: imageSize is ${metadata.imageSize} but the model takes ${input.size}x${input.size} images.`, {
      path: metadataFile,
      hint: `Set "imageSize" to ${input.size} in metadata.json, or export the model again.`,
    });
  }
}

/** Loads the classifier in `dir` (model.json, its weight files and metadata.json). */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const resolved = path.resolve(dir);
  // metadata.json is read first because it identifies sound and pose exports, whose weights may be absent.
  const metadata = await readClassifierMetadata(resolved);
  const artifacts = await readLayersArtifacts(resolved);

  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw invalidModel(resolved, `tfjs could not build the model (${(error as Error).message})`, error);
  }

  try {
    const input = inputSpecOf(model, resolved);
    checkAgreement(model, metadata, input, resolved);
    return {
      model,
      labels: [...metadata.labels],
      input,
      baseId: identifyBase(artifacts),
      source: metadata.edgeTrainer ? 'edge-trainer' : 'teachable-machine',
      metadata,
      dir: resolved,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
