// trainClassifier: samples -> embeddings (cached) -> head training -> evaluation. The base stays
// frozen, so only the small Dense head trains, on embeddings the base computed once.

import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend.js';
import { getBaseInfo } from '../bases/load.js';
import { DEFAULT_BASE_ID } from '../bases/registry.js';
import { EmbeddingCache, type EmbeddingKey } from '../embeddings/cache.js';
import { type ComputedEmbeddings, type EmbeddingItem, computeEmbeddings, throwIfAborted } from '../embeddings/compute.js';
import { createEmbedder } from '../embeddings/embedder.js';
import { EdgeTrainerError } from '../errors.js';
import { type EvaluationReport, evaluatePredictions } from '../evaluation/metrics.js';
import type { TrainingReport } from '../evaluation/report.js';
import { type ValidationSplit, splitTrainValidation } from '../evaluation/split.js';
import { loadImageInput } from '../images/preprocess.js';
import { CACHE_DIR, PROJECT_FILE, type Project } from '../project/schema.js';
import { sampleSetDigest } from '../project/versions.js';
import { augmentationDigest, loadAugmentedInput } from './augment.js';
import { type EmbeddingSet, type EpochLogs, fitHead } from './fit.js';
import { buildHead } from './head.js';
import { type TrainingSettings, type TrainingSettingsInput, resolveTrainingSettings } from './options.js';
import { type PreparedSample, type SkippedTrainingSample, type TrainingSampleInput, checkClassCounts, prepareSamples } from './samples.js';

export interface TrainOptions extends TrainingSettingsInput {
  /** Pretrained base id; defaults to the project's base, else mobilenet-v2-224. */
  base?: string;
  /** Embedding runtime (see models/embeddings/embedder.ts); default 'auto'. */
  runtime?: string;
  /** Embedding cache folder; defaults to <project>/cache/embeddings for a project, none for a list. */
  cacheDir?: string;
  /** Base inputs per embedding batch (default 16); bounds memory while embedding. */
  embeddingBatchSize?: number;
  /** Label order for a sample list; defaults to the order labels first appear in. */
  labels?: string[];
}

export interface TrainProgress {
  stage: 'embedding' | 'training';
  /** Embeddings done, or epochs done. */
  done: number;
  total: number;
  /** 1-based epoch, during the training stage. */
  epoch?: number;
  logs?: EpochLogs;
}

export interface TrainCallbacks {
  onProgress?: (progress: TrainProgress) => void;
  signal?: AbortSignal;
}

export interface TrainResult {
  /** The trained head: Dense layers only, input = embedding of `baseId`. */
  head: tf.Sequential;
  baseId: string;
  labels: string[];
  history: EpochLogs[];
  /** The head on the validation set, or null without one. */
  evaluation: EvaluationReport | null;
  /** The settings used, with defaults filled in and the seed that was drawn. */
  settings: TrainingSettings;
  /** For a project: sampleSetDigest of the samples at the start of training, for addModelVersion. */
  trainedOn?: string;
  report: TrainingReport;
}

/** One base run: sample `sample` as it is (variant 0) or as augmented copy `variant`. */
interface Variant {
  sample: number;
  variant: number;
}

/** An embedding with its class index and the file it came from. */
interface EmbeddedRow {
  vector: Float32Array;
  label: number;
  source: string;
}

/** Embeddings sorted into the sets training and evaluation use. */
interface EmbeddedSplit {
  /** Training rows, augmented copies included. */
  train: EmbeddedRow[];
  /** Training rows of the samples as they are, for the training-set evaluation. */
  originalTrain: EmbeddedRow[];
  validation: EmbeddedRow[];
}

function embeddingItem(sample: PreparedSample, variant: number, baseId: string, settings: TrainingSettings): EmbeddingItem {
  const spec = getBaseInfo(baseId).input;
  const key: EmbeddingKey = { sha256: sample.sha256, baseId, variant };
  if (variant > 0) key.augmentation = augmentationDigest(settings.seed, settings.augmentation);
  const load = async (): Promise<Float32Array> => {
    if (sample.input) {
      const expected = spec.size * spec.size * spec.channels;
      if (sample.input.length !== expected) {
        throw new EdgeTrainerError('invalid_input', `${sample.source} has ${sample.input.length} values; base ${baseId} needs ${spec.size}x${spec.size}x${spec.channels} = ${expected}.`, {
          hint: 'Preprocess inputs with loadImageInput for this base.',
        });
      }
      return sample.input;
    }
    const file = sample.file!;
    return variant === 0 ? loadImageInput(file, spec) : loadAugmentedInput(file, sample.sha256, variant, spec, settings.augmentation, settings.seed);
  };
  return { key, source: sample.source, load };
}

/** Lists the base runs: each training sample plus its augmented copies, then each validation sample. */
function planVariants(samples: readonly PreparedSample[], split: ValidationSplit, copies: number): Variant[] {
  const variants: Variant[] = [];
  for (const sample of split.train) {
    variants.push({ sample, variant: 0 });
    // Given inputs are already preprocessed, so only file samples get augmented copies.
    if (!samples[sample].file) continue;
    for (let variant = 1; variant <= copies; variant++) variants.push({ sample, variant });
  }
  for (const sample of split.validation) variants.push({ sample, variant: 0 });
  return variants;
}

/**
 * Sorts the computed embeddings into training and validation rows. A sample with any failed
 * variant is dropped whole and added to `skipped` once.
 */
function sortEmbeddings(
  variants: readonly Variant[],
  computed: ComputedEmbeddings,
  samples: readonly PreparedSample[],
  split: ValidationSplit,
  skipped: SkippedTrainingSample[],
): EmbeddedSplit {
  const failedSamples = new Set(computed.failures.map((failure) => variants[failure.index].sample));
  for (const failure of computed.failures) {
    if (variants[failure.index].variant === 0) skipped.push({ source: failure.source, reason: failure.error.message });
  }
  const isValidation = new Set(split.validation);
  const sorted: EmbeddedSplit = { train: [], originalTrain: [], validation: [] };
  variants.forEach(({ sample, variant }, index) => {
    const vector = computed.vectors[index];
    if (!vector || failedSamples.has(sample)) return;
    const row = { vector, label: samples[sample].label, source: samples[sample].source };
    if (isValidation.has(sample)) {
      sorted.validation.push(row);
      return;
    }
    sorted.train.push(row);
    if (variant === 0) sorted.originalTrain.push(row);
  });
  return sorted;
}

function toEmbeddingSet(rows: readonly EmbeddedRow[], embeddingSize: number): EmbeddingSet {
  const x = new Float32Array(rows.length * embeddingSize);
  rows.forEach((row, index) => x.set(row.vector, index * embeddingSize));
  return { x, labels: Int32Array.from(rows, (row) => row.label), count: rows.length, embeddingSize };
}

function evaluateRows(head: tf.Sequential, rows: readonly EmbeddedRow[], labels: string[], embeddingSize: number): EvaluationReport {
  const data = toEmbeddingSet(rows, embeddingSize);
  const probabilities = tf.tidy(() => (head.predict(tf.tensor2d(data.x, [data.count, embeddingSize])) as tf.Tensor).dataSync() as Float32Array);
  return evaluatePredictions(probabilities, data.labels, labels, rows.map((row) => row.source));
}

/** Checks the knobs stored in project.json, so an invalid one is reported with that file's path. */
function checkProjectSettings(project: Project): void {
  try {
    resolveTrainingSettings(project.settings.training);
  } catch (error) {
    if (!(error instanceof EdgeTrainerError)) throw error;
    const file = path.join(project.dir, PROJECT_FILE);
    throw new EdgeTrainerError('invalid_input', `${error.message.replace(/\.$/, '')} in settings.training of ${file}.`, {
      path: file,
      hint: `${error.hint ?? ''} Change it in the project settings.`.trim(),
      cause: error,
    });
  }
}

/**
 * Trains a classification head on a project or a list of labelled samples.
 *
 * Checks the samples first: at least 2 classes, none empty, and unreadable files skipped with a
 * warning. Then splits off the validation set (whole capture sessions when samples carry them,
 * else stratified per class) and embeds every sample and augmented copy through the frozen base,
 * cached on disk by content hash, base and variant. Last, it trains the head and evaluates it.
 * Project settings apply first and `options` override them. Throws a `cancelled` error when
 * `signal` aborts.
 */
export async function trainClassifier(
  source: Project | readonly TrainingSampleInput[],
  options: TrainOptions = {},
  callbacks: TrainCallbacks = {},
): Promise<TrainResult> {
  const project = Array.isArray(source) ? undefined : (source as Project);
  if (project && project.kind !== 'image') {
    throw new EdgeTrainerError('unsupported', `Project ${project.name} is a ${project.kind} project; trainClassifier trains image classifiers only.`, {
      path: project.dir,
      hint: 'Open an image project, or train sound projects with the audio pipeline.',
    });
  }
  const { base, runtime, cacheDir, embeddingBatchSize, labels: labelOrder, ...knobs } = options;
  if (project) checkProjectSettings(project);
  const settings = resolveTrainingSettings({ ...project?.settings.training, ...knobs });
  const baseId = base ?? project?.settings.base ?? DEFAULT_BASE_ID;
  const size = getBaseInfo(baseId).embeddingSize;

  const trainedOn = project ? sampleSetDigest(project) : undefined;
  const { samples, labels, skipped } = await prepareSamples(source, labelOrder);
  checkClassCounts(labels, samples.map((sample) => sample.label), skipped.length > 0 ? ' after skipping unreadable files' : '');
  throwIfAborted(callbacks.signal, 'Training');

  const split = splitTrainValidation(samples, settings.validationFraction, settings.seed, labels);
  const variants = planVariants(samples, split, settings.augmentation.copies);
  await initBackend();
  const embedder = await createEmbedder(baseId, runtime);
  const cacheFolder = cacheDir ?? (project ? path.join(project.dir, CACHE_DIR, 'embeddings') : undefined);
  let computed: ComputedEmbeddings;
  try {
    computed = await computeEmbeddings(
      variants.map(({ sample, variant }) => embeddingItem(samples[sample], variant, baseId, settings)),
      embedder,
      {
        cache: cacheFolder ? new EmbeddingCache(cacheFolder) : undefined,
        batchSize: embeddingBatchSize,
        signal: callbacks.signal,
        onProgress: ({ done, total }) => callbacks.onProgress?.({ stage: 'embedding', done, total }),
      },
    );
  } finally {
    embedder.dispose();
  }

  const rows = sortEmbeddings(variants, computed, samples, split, skipped);
  checkClassCounts(labels, rows.train.map((row) => row.label), ' in the training set after skipping unreadable files');
  const trainSet = toEmbeddingSet(rows.train, size);
  const validationSet = rows.validation.length > 0 ? toEmbeddingSet(rows.validation, size) : null;

  const head = buildHead({ embeddingSize: size, hiddenUnits: settings.hiddenUnits, classCount: labels.length }, settings.seed);
  let fit;
  try {
    fit = await fitHead(head, trainSet, validationSet, labels, settings, {
      signal: callbacks.signal,
      onEpochEnd: (logs) => callbacks.onProgress?.({ stage: 'training', done: logs.epoch, total: settings.epochs, epoch: logs.epoch, logs }),
    });
  } catch (error) {
    head.dispose();
    throw error;
  }

  const trainEvaluation = evaluateRows(head, rows.originalTrain, labels, size);
  const evaluation = validationSet ? evaluateRows(head, rows.validation, labels, size) : null;
  const report: TrainingReport = {
    baseId,
    labels,
    settings,
    split: {
      method: split.method,
      trainCount: rows.originalTrain.length,
      validationCount: rows.validation.length,
      validationSources: rows.validation.map((row) => row.source),
      notes: split.notes,
    },
    history: fit.history,
    finalEpoch: fit.finalEpoch,
    stoppedEarly: fit.stoppedEarly,
    train: trainEvaluation,
    validation: evaluation,
    skipped,
    embeddings: { computed: variants.length - computed.cached - computed.failures.length, cached: computed.cached },
  };
  return { head, baseId, labels, history: fit.history, evaluation, settings, trainedOn, report };
}
