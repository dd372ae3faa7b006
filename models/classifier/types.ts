// The loaded form of a classifier folder, shared by prediction, evaluation and the exporters.

import type * as tf from '@tensorflow/tfjs';
import type { InputSpec } from '../images/preprocess.js';
import type { ClassifierMetadata } from './metadata.js';

export type ClassifierSource = 'edge-trainer' | 'teachable-machine';

export interface Classifier {
  /** The whole model, image in and class probabilities out: input [batch, size, size, channels]. */
  model: tf.LayersModel;
  /** Class names, in the order of the model's outputs. */
  labels: string[];
  input: InputSpec;
  /** Registered base the model embeds unchanged, or null when it is not one of ours (or was fine-tuned). */
  baseId: string | null;
  /** Writer of the folder: Edge Trainer (metadata.json has an edgeTrainer block) or Teachable Machine. */
  source: ClassifierSource;
  metadata: ClassifierMetadata;
  /** Folder the classifier was loaded from. */
  dir: string;
}
