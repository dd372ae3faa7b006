// Knobs of head training, their Teachable Machine defaults, and their validation. The same
// `TrainingSettings` object is stored in project.json, so every field is plain JSON.

import { EdgeTrainerError } from '../errors.js';
import { OPTIMIZER_NAMES, type OptimizerName } from './optimizers.js';

/** Augmentation applied to the decoded image before the base computes its embedding. */
export interface AugmentationSettings {
  /** Augmented copies per training sample, each cached like an original (0 turns augmentation off). */
  copies: number;
  /** Mirror the image left to right in about half of the copies. */
  horizontalFlip: boolean;
  /** Largest zoom as a fraction of the side: 0.2 crops a random square of 80..100% of the side. */
  maxZoom: number;
  /** Largest brightness shift, as a fraction of the full 0..255 range (0.2 = up to +-51 levels). */
  brightness: number;
  /** Largest contrast change: 0.2 scales the distance from mid-grey by a factor in 0.8..1.2. */
  contrast: number;
}

/** Early stopping on validation loss. */
export interface EarlyStoppingSettings {
  /** Epochs without an improvement of at least `minDelta` before training stops. */
  patience: number;
  minDelta: number;
  /** Put back the weights of the epoch with the lowest validation loss when training ends. */
  restoreBestWeights: boolean;
}

/**
 * Every knob of head training. Fields left out take the Teachable Machine default (DEFAULT_TRAINING).
 *
 * `batchSize`: 1 gives plain stochastic gradient descent (one sample per step), `'full'` (or any
 * number at least the training set size) gives full-batch gradient descent (one step per epoch),
 * and k in between gives mini-batches of k samples.
 */
export interface TrainingSettings {
  epochs: number;
  batchSize: number | 'full';
  learningRate: number;
  optimizer: OptimizerName;
  /** Units of the hidden Dense layer (Teachable Machine uses 100). */
  hiddenUnits: number;
  /** Dropout rate after the hidden layer during training, 0..1 (0 = none). */
  dropout: number;
  /** Label smoothing factor, 0..1: targets become (1 - s) * one_hot + s / classCount. */
  labelSmoothing: number;
  /** 'none', 'balanced' (n / (classCount * count of the class)), or an explicit weight per class name. */
  classWeights: 'none' | 'balanced' | Record<string, number>;
  /** Fraction of each class held out for validation, rounded up per class (0 = no validation set). */
  validationFraction: number;
  /** Seeds weight initialisation, the split, shuffling, augmentation and dropout. */
  seed: number;
  /** Early stopping, or null for none. Given as `{}`, it uses patience 5, minDelta 0 and restores the best weights. */
  earlyStopping: EarlyStoppingSettings | null;
  augmentation: AugmentationSettings;
}

/** Teachable Machine's image defaults: Adam, learning rate 0.001, batch 16, 50 epochs, 15% validation. */
export const DEFAULT_TRAINING: Readonly<Omit<TrainingSettings, 'seed'>> = Object.freeze({
  epochs: 50,
  batchSize: 16,
  learningRate: 0.001,
  optimizer: 'adam',
  hiddenUnits: 100,
  dropout: 0,
  labelSmoothing: 0,
  classWeights: 'none',
  validationFraction: 0.15,
  earlyStopping: null,
  augmentation: Object.freeze({ copies: 0, horizontalFlip: true, maxZoom: 0.2, brightness: 0.2, contrast: 0.2 }),
});

/** Most augmented copies kept per sample; each costs one base run and one cache entry. */
export const MAX_AUGMENTATION_COPIES = 16;

/** Settings as given by a caller or project.json: any field may be missing, nested ones too. */
export type TrainingSettingsInput = Partial<Omit<TrainingSettings, 'augmentation' | 'earlyStopping'>> & {
  augmentation?: Partial<AugmentationSettings>;
  earlyStopping?: Partial<EarlyStoppingSettings> | null;
};

function invalid(field: string, expected: string, value: unknown): EdgeTrainerError {
  return new EdgeTrainerError('invalid_argument', `Invalid training setting ${field}: expected ${expected}, got ${JSON.stringify(value)}.`, {
    hint: `Set ${field} to ${expected}.`,
  });
}

function checkNumber(field: string, value: number, min: number, max: number, integer = false): void {
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
  if (!ok) throw invalid(field, `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`, value);
}

/** Returns a random 32-bit seed, for runs that do not fix one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * Fills in defaults and checks every knob. Throws an `invalid_argument` error naming the first
 * invalid field, its value and the accepted range.
 */
export function resolveTrainingSettings(input: TrainingSettingsInput = {}): TrainingSettings {
  const settings: TrainingSettings = {
    ...DEFAULT_TRAINING,
    ...input,
    seed: input.seed ?? randomSeed(),
    augmentation: { ...DEFAULT_TRAINING.augmentation, ...input.augmentation },
    earlyStopping: input.earlyStopping ? { patience: 5, minDelta: 0, restoreBestWeights: true, ...input.earlyStopping } : null,
  };

  checkNumber('epochs', settings.epochs, 1, 100_000, true);
  if (settings.batchSize !== 'full') checkNumber('batchSize', settings.batchSize, 1, 1_000_000, true);
  checkNumber('learningRate', settings.learningRate, Number.MIN_VALUE, 10);
  if (!OPTIMIZER_NAMES.includes(settings.optimizer)) throw invalid('optimizer', `one of ${OPTIMIZER_NAMES.join(', ')}`, settings.optimizer);
  checkNumber('hiddenUnits', settings.hiddenUnits, 1, 10_000, true);
  checkNumber('dropout', settings.dropout, 0, 0.95);
  checkNumber('labelSmoothing', settings.labelSmoothing, 0, 0.99);
  checkNumber('validationFraction', settings.validationFraction, 0, 0.9);
  checkNumber('seed', settings.seed, 0, 0xffffffff, true);

  const weights = settings.classWeights;
  if (typeof weights === 'object' && weights !== null) {
    for (const [label, weight] of Object.entries(weights)) checkNumber(`classWeights["${label}"]`, weight, 0, 1e6);
  } else if (weights !== 'none' && weights !== 'balanced') {
    throw invalid('classWeights', `"none", "balanced" or an object of class name to weight`, weights);
  }

  const early = settings.earlyStopping;
  if (early) {
    checkNumber('earlyStopping.patience', early.patience, 1, 100_000, true);
    checkNumber('earlyStopping.minDelta', early.minDelta, 0, 1e6);
  }

  const augmentation = settings.augmentation;
  checkNumber('augmentation.copies', augmentation.copies, 0, MAX_AUGMENTATION_COPIES, true);
  checkNumber('augmentation.maxZoom', augmentation.maxZoom, 0, 0.9);
  checkNumber('augmentation.brightness', augmentation.brightness, 0, 1);
  checkNumber('augmentation.contrast', augmentation.contrast, 0, 0.9);
  if (typeof augmentation.horizontalFlip !== 'boolean') throw invalid('augmentation.horizontalFlip', 'true or false', augmentation.horizontalFlip);
  return settings;
}
