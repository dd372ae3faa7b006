// Adding and removing samples. Added files are checked and copied into samples/<classId>/ under
// the sample id; a file that fails the check is reported in `skipped` and nothing of it is written.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EdgeTrainerError, type ErrorMessageKey, type ErrorMessageParams, isEdgeTrainerError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { logger } from '../log.js';
import { getClass } from './classes.js';
import { withProjectLock } from './lock.js';
import { pathExists, saveProject } from './project.js';
import { checkSampleFile } from './sample-check.js';
import { type Project, SAMPLES_DIR, type Sample } from './schema.js';

/** A sample to add: a file path, or bytes with a file name whose extension gives the format. */
export type SampleSource = string | { bytes: Uint8Array; name: string };

export interface AddSamplesOptions {
  /** Capture session shared by these samples (for example one webcam burst). */
  session?: string;
  /** Called after each source with the number of sources handled so far. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface SkippedSample {
  /** The source path, or the name given with the bytes. */
  source: string;
  /** Why it was skipped: the error message with the file name and the fix. */
  reason: string;
  /** Id and values of the translated reason, as on EdgeTrainerError. */
  key?: ErrorMessageKey;
  params?: ErrorMessageParams;
  error?: EdgeTrainerError;
}

export interface AddSamplesResult {
  added: Sample[];
  skipped: SkippedSample[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function nextSampleNumber(project: Project): number {
  let highest = 0;
  for (const sample of project.samples) {
    const match = /^s(\d+)$/.exec(sample.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** Absolute path of a sample's file. */
export function samplePath(project: Project, sample: Sample): string {
  return path.join(project.dir, ...sample.file.split('/'));
}

async function readSource(source: SampleSource): Promise<{ name: string; bytes: Uint8Array; checkPath: string; temporary?: string }> {
  if (typeof source === 'string') {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(source));
    } catch (error) {
      throw new EdgeTrainerError('not_found', `Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        path: source,
        hint: 'Check that the file exists and can be read.',
        cause: error,
      });
    }
    return { name: source, bytes, checkPath: source };
  }
  // Bytes are checked from a temporary file outside the project, so a rejected sample never touches it.
  const temporary = path.join(os.tmpdir(), `edge-trainer-${randomBytes(6).toString('hex')}${path.extname(source.name)}`);
  await writeFile(temporary, source.bytes);
  return { name: source.name, bytes: source.bytes, checkPath: temporary, temporary };
}

/**
 * Checks each source and copies the usable ones into the class's sample folder, then saves
 * project.json once. A source that is unreadable, empty, undecodable or already in the class (same
 * SHA-256) is listed in `skipped` with the reason and logged as a warning. The others are still added.
 */
export async function addSamples(project: Project, classId: string, sources: readonly SampleSource[], options: AddSamplesOptions = {}): Promise<AddSamplesResult> {
  return withProjectLock(project, async () => {
    getClass(project, classId);
    const result: AddSamplesResult = { added: [], skipped: [] };
    const known = new Set(project.samples.filter((sample) => sample.classId === classId).map((sample) => sample.sha256));
    let number = nextSampleNumber(project);
    const classDir = path.join(project.dir, SAMPLES_DIR, classId);

    for (const [index, source] of sources.entries()) {
      if (options.signal?.aborted) break;
      const name = typeof source === 'string' ? source : source.name;
      let temporary: string | undefined;
      try {
        const read = await readSource(source);
        temporary = read.temporary;
        await checkSampleFile(project.kind, read.checkPath, read.name);
        const sha256 = sha256Hex(read.bytes);
        if (known.has(sha256)) {
          result.skipped.push({ source: name, reason: `${name} is already in this class (same content).`, key: 'sample_duplicate', params: { file: name } });
        } else {
          const extension = path.extname(read.name).toLowerCase();
          // Files of deleted samples may still be on disk; skip their names instead of overwriting them.
          while (await pathExists(path.join(classDir, `s${number}${extension}`))) number++;
          const id = `s${number++}`;
          const file = `${SAMPLES_DIR}/${classId}/${id}${extension}`;
          await mkdir(classDir, { recursive: true });
          await writeFileAtomic(path.join(project.dir, file), read.bytes);
          const sample: Sample = { id, classId, file, sha256, addedAt: new Date().toISOString() };
          if (options.session !== undefined) sample.session = options.session;
          result.added.push(sample);
          known.add(sha256);
        }
      } catch (error) {
        if (!isEdgeTrainerError(error)) throw error;
        logger.warn(`skipped sample: ${error.describe()}`);
        result.skipped.push({ source: name, reason: error.message, key: error.key, params: error.params, error });
      } finally {
        if (temporary) await rm(temporary, { force: true });
      }
      options.onProgress?.(index + 1, sources.length);
    }

    if (result.added.length > 0) {
      project.samples.push(...result.added);
      await saveProject(project);
    }
    return result;
  });
}

export interface DeleteSampleOptions {
  /** Also delete the sample's file; by default it stays in the samples folder. */
  deleteFile?: boolean;
}

/** Removes a sample from the project; its file is deleted only with `deleteFile`, after the save. */
export async function deleteSample(project: Project, sampleId: string, options: DeleteSampleOptions = {}): Promise<void> {
  return withProjectLock(project, async () => {
    const sample = project.samples.find((item) => item.id === sampleId);
    if (!sample) {
      throw new EdgeTrainerError('not_found', `No sample with id "${sampleId}" in project ${project.name}.`, {
        hint: 'Reload the project; the sample may have been deleted already.',
      });
    }
    project.samples = project.samples.filter((item) => item.id !== sampleId);
    await saveProject(project);
    if (options.deleteFile) await rm(samplePath(project, sample), { force: true });
  });
}

export interface SampleFileCheck {
  /** Samples whose file is missing or unreadable. */
  missing: Sample[];
  /** Samples whose file content no longer matches the recorded SHA-256. */
  changed: Sample[];
}

/**
 * Reads every sample file of the project and reports the missing and changed ones, for example
 * to show the user before training. Changes nothing on disk.
 */
export async function checkSampleFiles(project: Project): Promise<SampleFileCheck> {
  const result: SampleFileCheck = { missing: [], changed: [] };
  for (const sample of project.samples) {
    let bytes: Buffer;
    try {
      bytes = await readFile(samplePath(project, sample));
    } catch {
      result.missing.push(sample);
      continue;
    }
    if (sha256Hex(bytes) !== sample.sha256) result.changed.push(sample);
  }
  return result;
}
