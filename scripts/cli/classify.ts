// Runs a model over image files with a progress bar, collecting the unreadable files instead of
// stopping at the first, for the predict and eval commands.

import type { Prediction } from '../../models/classifier/predict.js';
import { isEdgeTrainerError } from '../../models/errors.js';
import type { CommandContext } from './context.js';
import { engineErrorText } from './error-text.js';
import type { OpenedModel } from './model-formats/types.js';

export interface FileFailure {
  code: string;
  message: string;
}

export interface ClassifyOutcome {
  predictions: Prediction[];
  /** Unreadable files, by path, each already reported on stderr. */
  failures: Map<string, FileFailure>;
}

/** Classifies `files` and disposes `model` afterwards. */
export async function classifyFiles(context: CommandContext, model: OpenedModel, files: readonly string[], batchSize: number, progressLabel: string): Promise<ClassifyOutcome> {
  const failures = new Map<string, FileFailure>();
  const progress = context.progress(progressLabel, files.length);
  try {
    const predictions = await model.predictFiles(files, {
      batchSize,
      onInvalidFile: (file, error) => {
        failures.set(file, { code: isEdgeTrainerError(error) ? error.code : 'invalid_input', message: error.message });
        const text = isEdgeTrainerError(error) ? engineErrorText(error, context.t, context.language).message : error.message;
        context.note(`${context.t('error_prefix')} ${text}`);
      },
      onProgress: (done) => progress.update(done),
    });
    return { predictions, failures };
  } finally {
    progress.stop();
    model.dispose();
  }
}
