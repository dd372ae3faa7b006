// The training report: everything needed to judge a trained head, as plain JSON.

import type { EpochLogs } from '../training/fit.js';
import type { TrainingSettings } from '../training/options.js';
import type { EvaluationReport } from './metrics.js';
import type { SplitMethod } from './split.js';

export interface TrainingReport {
  baseId: string;
  labels: string[];
  settings: TrainingSettings;
  split: {
    method: SplitMethod;
    /** Training samples before augmentation. */
    trainCount: number;
    validationCount: number;
    /** Files (or input labels) of the validation samples. */
    validationSources: string[];
    notes: string[];
  };
  history: EpochLogs[];
  /** Epoch whose weights the head ends with. */
  finalEpoch: number;
  stoppedEarly: boolean;
  /** The final head on the training samples (originals, no augmentation). */
  train: EvaluationReport;
  /** The final head on the validation samples, or null without a validation set. */
  validation: EvaluationReport | null;
  /** Samples left out because their file could not be read or decoded. */
  skipped: { source: string; reason: string }[];
  embeddings: { computed: number; cached: number };
}

/** Formats the report as indented JSON text, for report.json. */
export function formatReportJson(report: TrainingReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
