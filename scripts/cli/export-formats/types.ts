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
}

export interface ExportFormat {
  id: string;
  /** Variants --variant accepts, the default first. */
  variants: readonly string[];
  defaultVariant: string;
  /** Exports the classifier folder `modelDir`; the command has already activated the backend. */
  run(context: CommandContext, modelDir: string, options: ExportOptions): Promise<CommandResult>;
}
