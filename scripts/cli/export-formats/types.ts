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
  /** C formats: target board id for the fit report. */
  board?: string;
  /** C formats: flash and RAM of a custom board, in KB. */
  flashKb?: number;
  ramKb?: number;
  /** C formats: image that becomes the Arduino example's test input. */
  sample?: string;
  /** C formats: labels file for a .tflite model. */
  labels?: string;
  /** C formats: write the package even when the model does not fit the board. */
  allowOversize?: boolean;
}

export interface ExportFormat {
  id: string;
  /** Variants --variant accepts, the default first. */
  variants: readonly string[];
  defaultVariant: string;
  /**
   * Exports the classifier folder `modelDir` (the C formats also take a .tflite file); the command
   * has already activated the backend.
   */
  run(context: CommandContext, modelDir: string, options: ExportOptions): Promise<CommandResult>;
}
