// Trained model versions kept in a project (models/v<N>/) and whether each is stale.

import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import { withProjectLock } from './lock.js';
import { pathExists, saveProject } from './project.js';
import { MODELS_DIR, type ModelVersionEntry, type Project, type ProjectSettings } from './schema.js';

/**
 * Digest of what a model learns from: each class's name and position, and the SHA-256 of each of
 * its samples. Adding, removing or relabelling a sample, or renaming or reordering a class, changes it.
 */
export function sampleSetDigest(project: Project): string {
  const hash = createHash('sha256');
  for (const item of project.classes) {
    const digests = project.samples.filter((sample) => sample.classId === item.id).map((sample) => sample.sha256).sort();
    hash.update(`${JSON.stringify(item.name)}:${digests.join(',')}\n`);
  }
  return hash.digest('hex');
}

/** JSON text with object keys sorted at every level, so equal settings compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const entries = Object.entries(item as Record<string, unknown>);
    entries.sort(([a], [b]) => a.localeCompare(b, 'en'));
    return Object.fromEntries(entries);
  });
}

export function settingsEqual(a: ProjectSettings, b: ProjectSettings): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

export function getModelVersion(project: Project, version: number): ModelVersionEntry {
  const entry = project.models.find((item) => item.version === version);
  if (!entry) {
    throw new EdgeTrainerError('not_found', `Project ${project.name} has no model version ${version}.`, {
      hint: `Versions: ${project.models.map((item) => item.version).join(', ') || '(none; train a model first)'}.`,
    });
  }
  return entry;
}

/** Returns whether the samples or the settings changed since model `version` was trained. */
export function isModelStale(project: Project, version: number): boolean {
  const entry = getModelVersion(project, version);
  return entry.trainedOn !== sampleSetDigest(project) || !settingsEqual(entry.settings, project.settings);
}

/** Absolute folder of a model version. */
export function modelVersionDir(project: Project, entry: ModelVersionEntry): string {
  return path.join(project.dir, ...entry.dir.split('/'));
}

export interface AddModelVersionInput {
  /** Settings the model was trained with; defaults to the project's current settings. */
  settings?: ProjectSettings;
  metrics: ModelVersionEntry['metrics'];
  /** Digest of the samples the model learnt from (TrainResult.trainedOn); defaults to the current samples. */
  trainedOn?: string;
  /** Writes the model files into the new version folder (for example the classifier save). */
  write: (dir: string) => Promise<void>;
}

/**
 * Creates models/v<N>/ (N above every recorded version and every existing folder), lets `input.write` fill it, then
 * records the version in project.json. When writing fails, the folder is removed and project.json
 * is left unchanged.
 */
export async function addModelVersion(project: Project, input: AddModelVersionInput): Promise<ModelVersionEntry> {
  return withProjectLock(project, async () => {
    let version = project.models.reduce((highest, item) => Math.max(highest, item.version), 0) + 1;
    // A folder left by an interrupted run is skipped, not reused, so the cleanup below cannot delete it.
    while (await pathExists(path.join(project.dir, MODELS_DIR, `v${version}`))) version++;
    const entry: ModelVersionEntry = {
      version,
      dir: `${MODELS_DIR}/v${version}`,
      createdAt: new Date().toISOString(),
      trainedOn: input.trainedOn ?? sampleSetDigest(project),
      settings: structuredClone(input.settings ?? project.settings),
      metrics: input.metrics,
    };
    const dir = modelVersionDir(project, entry);
    await mkdir(dir, { recursive: true });
    try {
      await input.write(dir);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    project.models.push(entry);
    await saveProject(project);
    return entry;
  });
}
