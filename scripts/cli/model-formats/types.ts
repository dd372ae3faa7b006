// A model file or folder as the predict, eval and info commands see it, whatever its format.

import type { Prediction, PredictOptions } from '../../../models/classifier/predict.js';
import type { InputSpec } from '../../../models/images/preprocess.js';

export interface OpenedModel {
  /** Format id, as listed in MODEL_FORMATS. */
  format: string;
  labels: string[];
  input: InputSpec;
  predictFiles(files: readonly string[], options?: PredictOptions): Promise<Prediction[]>;
  /** Format-specific facts for `info` (base, parameter count, metadata), JSON-serialisable. */
  describe(): Record<string, unknown>;
  dispose(): void;
}

export interface ModelFormat {
  id: string;
  /** Whether `modelPath` is in this format; checks names and headers only, loads nothing. */
  matches(modelPath: string): Promise<boolean>;
  open(modelPath: string): Promise<OpenedModel>;
}
