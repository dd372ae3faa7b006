// Evaluates a trained head on samples training never saw: a held-out folder of class subfolders
// or a list of labelled files.

import * as tf from '@tensorflow/tfjs';
import { getBaseInfo } from '../bases/load.js';
import { EmbeddingCache } from '../embeddings/cache.js';
import { type EmbeddingProgress, computeEmbeddings } from '../embeddings/compute.js';
import { createEmbedder } from '../embeddings/embedder.js';
import { EdgeTrainerError } from '../errors.js';
import { loadImageInput } from '../images/preprocess.js';
import { type TrainingSampleInput, prepareSamples, samplesFromFolder } from '../training/samples.js';
import { type EvaluationReport, evaluatePredictions } from './metrics.js';

export interface EvaluateHeadOptions {
  runtime?: string;
  /** Embedding cache folder; none by default. */
  cacheDir?: string;
  embeddingBatchSize?: number;
  onProgress?: (progress: EmbeddingProgress) => void;
  signal?: AbortSignal;
}

export interface HeadEvaluation extends EvaluationReport {
  /** Files left out because they could not be read or decoded. */
  skipped: { source: string; reason: string }[];
}

/** Lists a folder of class subfolders as labelled samples; every subfolder must name a model label. */
export async function listLabelledFolder(dir: string, labels: readonly string[]): Promise<TrainingSampleInput[]> {
  const folder = await samplesFromFolder(dir);
  const unknown = folder.labels.filter((name) => !labels.includes(name));
  if (unknown.length > 0) {
    throw new EdgeTrainerError('invalid_input', `${dir} has class folders the model does not know: ${unknown.join(', ')}.`, {
      path: dir,
      hint: `Name the subfolders after the model's classes: ${labels.join(', ')}.`,
    });
  }
  return folder.samples;
}

/**
 * Runs base and head over held-out samples (a folder of class subfolders named after `labels`, or
 * a list) and returns accuracy overall and per class, the confusion matrix and the misclassified
 * files. Unreadable files are skipped with a warning and listed in `skipped`.
 */
export async function evaluateHead(
  head: tf.LayersModel,
  model: { baseId: string; labels: readonly string[] },
  source: string | readonly TrainingSampleInput[],
  options: EvaluateHeadOptions = {},
): Promise<HeadEvaluation> {
  const spec = getBaseInfo(model.baseId).input;
  const list = typeof source === 'string' ? await listLabelledFolder(source, model.labels) : source;
  const prepared = await prepareSamples(list, model.labels);
  const embedder = await createEmbedder(model.baseId, options.runtime);
  let computed;
  try {
    computed = await computeEmbeddings(
      prepared.samples.map((sample) => ({
        key: { sha256: sample.sha256, baseId: model.baseId, variant: 0 },
        source: sample.source,
        load: async () => sample.input ?? loadImageInput(sample.file!, spec),
      })),
      embedder,
      { cache: options.cacheDir ? new EmbeddingCache(options.cacheDir) : undefined, batchSize: options.embeddingBatchSize, onProgress: options.onProgress, signal: options.signal },
    );
  } finally {
    embedder.dispose();
  }

  const rows = prepared.samples.flatMap((sample, index) => {
    const vector = computed.vectors[index];
    return vector ? [{ vector, sample }] : [];
  });
  if (rows.length === 0) {
    throw new EdgeTrainerError('invalid_input', `None of the ${list.length} samples to evaluate could be read.`, {
      path: typeof source === 'string' ? source : undefined,
      hint: 'Check the warnings for each file, then replace or remove the broken files.',
    });
  }
  const size = embedder.embeddingSize;
  const x = new Float32Array(rows.length * size);
  rows.forEach((row, index) => x.set(row.vector, index * size));
  const probabilities = tf.tidy(() => (head.predict(tf.tensor2d(x, [rows.length, size])) as tf.Tensor).dataSync() as Float32Array);
  const report = evaluatePredictions(
    probabilities,
    rows.map((row) => row.sample.label),
    [...model.labels],
    rows.map((row) => row.sample.source),
  );
  const skipped = [...prepared.skipped, ...computed.failures.map((failure) => ({ source: failure.source, reason: failure.error.message }))];
  return { ...report, skipped };
}
