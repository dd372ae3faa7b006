// The optimizers head training offers, as one frozen table of factories. The momentum value 0.9 and
// Adam's betas are the usual Keras defaults; tfjs supplies the rest of each optimizer's defaults.

import * as tf from '@tensorflow/tfjs';

export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

const MOMENTUM = 0.9;

export const OPTIMIZERS: Readonly<Record<OptimizerName, (learningRate: number) => tf.Optimizer>> = Object.freeze({
  sgd: (learningRate) => tf.train.sgd(learningRate),
  momentum: (learningRate) => tf.train.momentum(learningRate, MOMENTUM),
  nesterov: (learningRate) => tf.train.momentum(learningRate, MOMENTUM, true),
  adagrad: (learningRate) => tf.train.adagrad(learningRate),
  adadelta: (learningRate) => tf.train.adadelta(learningRate),
  rmsprop: (learningRate) => tf.train.rmsprop(learningRate),
  adam: (learningRate) => tf.train.adam(learningRate, 0.9, 0.999),
  adamax: (learningRate) => tf.train.adamax(learningRate, 0.9, 0.999),
});

export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  return OPTIMIZERS[name](learningRate);
}
