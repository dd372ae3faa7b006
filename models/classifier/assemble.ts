// Builds a whole classifier in Teachable Machine's layout from a registered base and a trained
// head, so that TM's own library and tfjs.loadLayersModel read our exports:
//   Sequential [ Sequential sequential_1 [base Model, GlobalAveragePooling2D], head ]

import * as tf from '@tensorflow/tfjs';
import { getBaseInfo, readVerifiedBase } from '../bases/load.js';
import { EdgeTrainerError } from '../errors.js';
import { pretrainedDir } from '../paths.js';

/**
 * Returns base + global average pooling + `head` as one tf.Sequential, image in and class
 * probabilities out. `head` must take the base's embedding, [batch, embeddingSize].
 *
 * The 96x96 grayscale base is pooled by global average too (256 values). TM's own "tiny" exports
 * used Flatten there (3x3x256 = 2304 values); loadClassifier reads both.
 *
 * The result owns a fresh copy of the base and shares the head's layers: dispose it, not the head.
 */
export async function assembleClassifier(baseId: string, head: tf.LayersModel, root = pretrainedDir()): Promise<tf.Sequential> {
  const info = getBaseInfo(baseId);
  const headShape = head.inputs[0].shape;
  if (headShape.length !== 2 || headShape[1] !== info.embeddingSize) {
    throw new EdgeTrainerError('invalid_argument', `assembleClassifier: expected a head taking [batch, ${info.embeddingSize}] for ${baseId}, got [${headShape.join(', ')}].`, {
      hint: `Train the head on ${baseId} embeddings (length ${info.embeddingSize}).`,
    });
  }
  const outputShape = head.outputs[0].shape;
  if (outputShape.length !== 2 || outputShape[1] === null || outputShape[1] < 2) {
    throw new EdgeTrainerError('invalid_argument', `assembleClassifier: expected a head output of [batch, classes >= 2], got [${outputShape.join(', ')}].`);
  }

  // A private copy, because the cached loadBase model may be disposed or shared elsewhere.
  const base = await tf.loadLayersModel(tf.io.fromMemory(await readVerifiedBase(baseId, root)));
  const features = tf.sequential({ name: 'sequential_1', layers: [base, tf.layers.globalAveragePooling2d({})] });
  return tf.sequential({ layers: [features, head] });
}
