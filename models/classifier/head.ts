// Splits a classifier in the Teachable Machine layout into its feature extractor (base plus
// pooling) and its head (the dense layers trained on the pooled features).

import * as tf from '@tensorflow/tfjs';
import { EdgeTrainerError } from '../errors.js';

/** Reduction of the base's feature map to the head's input vector. */
export type Pooling = 'global-average' | 'flatten';

export interface ClassifierParts {
  /** Base plus pooling: image in, embedding [batch, embeddingSize] out. */
  features: tf.LayersModel;
  /** Dense layers: embedding in, class probabilities out. */
  head: tf.LayersModel;
  pooling: Pooling;
  embeddingSize: number;
}

const POOLING_BY_CLASS: Readonly<Record<string, Pooling>> = Object.freeze({
  GlobalAveragePooling2D: 'global-average',
  Flatten: 'flatten',
});

function notTmLayout(reason: string): EdgeTrainerError {
  return new EdgeTrainerError('unsupported', `The model is not in the Teachable Machine image layout: ${reason}.`, {
    hint: 'Expected Sequential[ Sequential[base Model, pooling], Sequential[Dense layers] ], as Teachable Machine and Edge Trainer export.',
  });
}

/**
 * Returns the feature extractor and head of a TM-layout classifier. They share weights with
 * `model`, so disposing one disposes the other.
 */
export function extractHead(model: tf.LayersModel): ClassifierParts {
  const [features, head] = model.layers;
  if (model.layers.length !== 2 || !(features instanceof tf.LayersModel) || !(head instanceof tf.LayersModel)) {
    throw notTmLayout(`expected two nested models, got ${model.layers.map((layer) => layer.getClassName()).join(', ')}`);
  }

  const poolingLayer = features.layers[features.layers.length - 1];
  const pooling = POOLING_BY_CLASS[poolingLayer.getClassName()];
  if (pooling === undefined) throw notTmLayout(`expected pooling after the base, got ${poolingLayer.getClassName()}`);

  const inputShape = head.inputs[0].shape;
  const embeddingSize = inputShape[inputShape.length - 1];
  if (inputShape.length !== 2 || embeddingSize === null) throw notTmLayout(`expected a head input of [batch, n], got [${inputShape.join(', ')}]`);
  return { features, head, pooling, embeddingSize };
}
