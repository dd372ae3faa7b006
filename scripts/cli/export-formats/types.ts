// The contract between `edge-trainer export` and one deployment format.

import type { CommandResult } from '../command.js';
import type { CommandContext } from '../context.js';
import type { ComputeOptions, JsonOptions } from '../options.js';

export interface ExportOptions extends ComputeOptions, JsonOptions {
  variant: string;
  out: string;
  /** Folder of photos, one sub-folder per class, for calibration and the accuracy check. */
  calibration?: string;
  percentile?: number;
  imagesPerClass?: number;
  /** C and Arduino: target board id, or custom sizes with flashKb and ramKb. */
  board?: string;
  flashKb?: number;
  ramKb?: number;
  /** C and Arduino: photo embedded as the example sketch's test input. */
  sample?: string;
  /** C and Arduino: labels file for a bare .tflite model (default labels.txt beside it). */
  labels?: string;
  /** C and Arduino: write the package even when the model does not fit the board. */
  allowOversize?: boolean;
}

export interface ExportFormat {
  id: string;
  /** Variants --variant accepts, the default first. */
  variants: readonly string[];
  defaultVariant: string;
  /**
   * Exports `model`, a classifier folder (or, where the format accepts one, a .tflite file); the
   * command has already activated the backend.
   */
  run(context: CommandContext, model: string, options: ExportOptions): Promise<CommandResult>;
}
