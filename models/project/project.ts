// Creates, opens and saves project folders. project.json is only ever replaced atomically, and a
// project.json that fails validation is reported and left untouched.

import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BASE_ID } from '../bases/registry.js';
import { getBaseInfo } from '../bases/load.js';
import { EdgeTrainerError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { TrainingSettingsInput } from '../training/options.js';
import {
  PROJECT_FILE,
  PROJECT_FORMAT_VERSION,
  PROJECT_KINDS,
  type Project,
  type ProjectKind,
  SAMPLES_DIR,
  parseProjectJson,
  toProjectFile,
} from './schema.js';

export interface CreateProjectOptions {
  /** Display name; defaults to the folder name. */
  name?: string;
  kind?: ProjectKind;
  /** Pretrained base id; defaults to mobilenet-v2-224. */
  base?: string;
  training?: TrainingSettingsInput;
}

/** Returns whether a file or folder exists at `file`. */
export async function pathExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Path of project.json in a project folder. */
export function projectFilePath(dir: string): string {
  return path.join(dir, PROJECT_FILE);
}

/**
 * Creates a new empty project in `dir` (created when missing) and writes its project.json. Rejects
 * a folder that already contains a project.json, so an existing project is never overwritten.
 */
export async function createProject(dir: string, options: CreateProjectOptions = {}): Promise<Project> {
  const root = path.resolve(dir);
  const file = projectFilePath(root);
  if (await pathExists(file)) {
    throw new EdgeTrainerError('invalid_argument', `A project already exists at ${root}.`, {
      path: file,
      hint: 'Open it instead, or choose an empty folder for the new project.',
    });
  }
  const kind = options.kind ?? 'image';
  if (!PROJECT_KINDS.includes(kind)) {
    throw new EdgeTrainerError('invalid_argument', `Unknown project kind "${kind}".`, { hint: `Use one of: ${PROJECT_KINDS.join(', ')}.` });
  }
  const base = options.base ?? DEFAULT_BASE_ID;
  getBaseInfo(base);

  const project: Project = {
    dir: root,
    formatVersion: PROJECT_FORMAT_VERSION,
    name: options.name ?? path.basename(root),
    kind,
    classes: [],
    samples: [],
    settings: { base, training: options.training ?? {} },
    models: [],
  };
  await mkdir(path.join(root, SAMPLES_DIR), { recursive: true });
  await saveProject(project);
  return project;
}

/**
 * Opens the project in `dir`. A missing project.json is a `not_found` error. An invalid one is an
 * `invalid_input` error naming the file and the field, and the file is left as it is.
 */
export async function openProject(dir: string): Promise<Project> {
  const root = path.resolve(dir);
  const file = projectFilePath(root);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EdgeTrainerError('not_found', `No project found at ${root}: ${PROJECT_FILE} is missing.`, {
      path: file,
      hint: 'Choose the project folder (the one containing project.json), or create a new project.',
      cause: error,
      key: 'project_not_found',
      params: { dir: root },
    });
  }
  return { dir: root, ...parseProjectJson(text, file) };
}

/** Writes the project's project.json atomically. */
export async function saveProject(project: Project): Promise<void> {
  await writeFileAtomic(projectFilePath(project.dir), `${JSON.stringify(toProjectFile(project), null, 2)}\n`);
}
