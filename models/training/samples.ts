// Turns a project, or a list of files or inputs with labels, into the samples training works on:
// each with a class index and the SHA-256 of its content (the embedding cache key).

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError, isEdgeTrainerError } from '../errors.js';
import { logger } from '../log.js';
import { scanClassFolders } from '../project/import-folder.js';
import type { Project } from '../project/schema.js';

/** One training sample given directly: a file, or a preprocessed input (height x width x channels). */
export interface TrainingSampleInput {
  file?: string;
  input?: Float32Array;
  label: string;
  /** Capture session; validation keeps sessions whole. */
  session?: string;
}

export interface PreparedSample {
  /** File path, or `input #<n>` for a given input, for messages and reports. */
  source: string;
  file?: string;
  input?: Float32Array;
  /** Class index into the label list. */
  label: number;
  session?: string;
  sha256: string;
}

export interface SkippedTrainingSample {
  source: string;
  reason: string;
}

export interface PreparedSamples {
  samples: PreparedSample[];
  labels: string[];
  skipped: SkippedTrainingSample[];
}

function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function hashFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Sample file not found: ${file}.`, {
      path: file,
      hint: 'Restore the file, or delete the sample from the project.',
      cause: error,
    });
  }
  return hashBytes(bytes);
}

/**
 * Lists a folder of class subfolders as labelled samples: each subfolder name is a label (in
 * natural order, 2 before 10) and each of its subfolders a capture session.
 */
export async function samplesFromFolder(dir: string): Promise<{ samples: TrainingSampleInput[]; labels: string[] }> {
  const classes = await scanClassFolders(dir);
  const samples = classes.flatMap((item) => item.groups.flatMap((group) => group.files.map((file) => ({ file, label: item.name, session: group.session }))));
  return { samples, labels: classes.map((item) => item.name) };
}

function isProject(source: Project | readonly TrainingSampleInput[]): source is Project {
  return !Array.isArray(source);
}

async function prepareFromProject(project: Project, skipped: SkippedTrainingSample[]): Promise<PreparedSamples> {
  const labels = project.classes.map((item) => item.name);
  const labelOf = new Map(project.classes.map((item, index) => [item.id, index]));
  const samples: PreparedSample[] = [];
  for (const sample of project.samples) {
    const file = path.join(project.dir, ...sample.file.split('/'));
    try {
      // Hashing the file again catches a sample replaced on disk since it was added, because the
      // cache is keyed by the current content.
      const sha256 = await hashFile(file);
      if (sha256 !== sample.sha256) logger.warn(`sample ${sample.id} changed on disk since it was added: ${file}`);
      samples.push({ source: file, file, label: labelOf.get(sample.classId)!, session: sample.session, sha256 });
    } catch (error) {
      if (!isEdgeTrainerError(error)) throw error;
      logger.warn(`skipping sample ${sample.id}: ${error.describe()}`);
      skipped.push({ source: file, reason: error.message });
    }
  }
  return { samples, labels, skipped };
}

async function prepareFromList(list: readonly TrainingSampleInput[], labelOrder: readonly string[] | undefined, skipped: SkippedTrainingSample[]): Promise<PreparedSamples> {
  const labels = labelOrder ? [...labelOrder] : [...new Set(list.map((item) => item.label))];
  const samples: PreparedSample[] = [];
  for (const [index, item] of list.entries()) {
    const label = labels.indexOf(item.label);
    if (label < 0) {
      throw new EdgeTrainerError('invalid_argument', `Sample ${item.file ?? `#${index}`} has label "${item.label}", which is not in the label list.`, {
        hint: `Use one of: ${labels.join(', ')}, or add the label to the list.`,
      });
    }
    if (item.input) {
      const bytes = new Uint8Array(item.input.buffer, item.input.byteOffset, item.input.byteLength);
      samples.push({ source: `input #${index}`, input: item.input, label, session: item.session, sha256: hashBytes(bytes) });
      continue;
    }
    if (!item.file) {
      throw new EdgeTrainerError('invalid_argument', `Sample #${index} (label "${item.label}") has neither a file nor an input.`, {
        hint: 'Give each sample a file path or a preprocessed input.',
      });
    }
    const file = path.resolve(item.file);
    try {
      samples.push({ source: file, file, label, session: item.session, sha256: await hashFile(file) });
    } catch (error) {
      if (!isEdgeTrainerError(error)) throw error;
      logger.warn(`skipping sample: ${error.describe()}`);
      skipped.push({ source: file, reason: error.message });
    }
  }
  return { samples, labels, skipped };
}

/**
 * Rejects a sample set training cannot use: fewer than 2 classes, or a class without samples.
 * `when` describes which samples were counted, for the message ("after skipping unreadable files").
 */
export function checkClassCounts(labels: readonly string[], sampleLabels: ArrayLike<number>, when = ''): void {
  const counts = new Array<number>(labels.length).fill(0);
  for (let i = 0; i < sampleLabels.length; i++) counts[sampleLabels[i]]++;
  const filled = labels.filter((_, index) => counts[index] > 0);
  const empty = labels.filter((_, index) => counts[index] === 0);
  if (labels.length >= 2 && empty.length > 0) {
    const names = empty.map((name) => `"${name}"`).join(', ');
    throw new EdgeTrainerError('invalid_input', `${empty.length === 1 ? 'Class' : 'Classes'} ${names} ${empty.length === 1 ? 'has' : 'have'} no samples${when}.`, {
      hint: 'Add samples to each empty class or delete it, then train again.',
      key: 'training_class_empty',
      params: { classes: names },
    });
  }
  if (filled.length < 2) {
    const found = filled.length === 0 ? 'none has' : `only "${filled[0]}" has`;
    throw new EdgeTrainerError('invalid_input', `Training needs at least 2 classes with samples, but ${found} samples${when}.`, {
      hint: 'Add a second class and give every class a few samples, then train again.',
      key: 'training_too_few_classes',
      params: { count: filled.length },
    });
  }
}

/**
 * Collects the samples to train on with their class indices and content hashes. Sample files
 * that cannot be read are skipped with a warning and listed in `skipped`.
 */
export async function prepareSamples(source: Project | readonly TrainingSampleInput[], labelOrder?: readonly string[]): Promise<PreparedSamples> {
  const skipped: SkippedTrainingSample[] = [];
  if (isProject(source)) {
    checkClassCounts(
      source.classes.map((item) => item.name),
      source.samples.map((sample) => source.classes.findIndex((item) => item.id === sample.classId)),
    );
    return prepareFromProject(source, skipped);
  }
  return prepareFromList(source, labelOrder, skipped);
}
