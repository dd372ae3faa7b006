// Translation between the app's training form (TrainSettings) and the engine's stored knobs
// (TrainingSettingsInput in project.json). Knobs the form does not show pass through unchanged.

import { DEFAULT_TRAIN_SETTINGS, OPTIMIZERS, type TrainSettings } from '../api/types.js';
import type { TrainingSettingsInput } from '../../models/training/options.js';

/** Augmented copies per sample when the form's augmentation box is ticked. */
export const AUGMENTATION_COPIES = 4;

export function toTrainSettings(stored: TrainingSettingsInput): TrainSettings {
  const optimizer = OPTIMIZERS.find((name) => name === stored.optimizer) ?? DEFAULT_TRAIN_SETTINGS.optimizer;
  return {
    epochs: stored.epochs ?? DEFAULT_TRAIN_SETTINGS.epochs,
    batchSize: typeof stored.batchSize === 'number' ? stored.batchSize : DEFAULT_TRAIN_SETTINGS.batchSize,
    learningRate: stored.learningRate ?? DEFAULT_TRAIN_SETTINGS.learningRate,
    optimizer,
    dropout: stored.dropout ?? DEFAULT_TRAIN_SETTINGS.dropout,
    augmentation: (stored.augmentation?.copies ?? 0) > 0,
    validationShare: stored.validationFraction ?? DEFAULT_TRAIN_SETTINGS.validationShare,
    seed: stored.seed ?? DEFAULT_TRAIN_SETTINGS.seed,
  };
}

export function toTrainingInput(settings: TrainSettings, stored: TrainingSettingsInput): TrainingSettingsInput {
  return {
    ...stored,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    optimizer: settings.optimizer,
    dropout: settings.dropout,
    validationFraction: settings.validationShare,
    seed: settings.seed,
    augmentation: { ...stored.augmentation, copies: settings.augmentation ? AUGMENTATION_COPIES : 0 },
  };
}
