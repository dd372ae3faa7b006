// Builds a project from a folder of class subfolders, the layout most image datasets use:
//   <dir>/<class name>/<file>               a sample without a session
//   <dir>/<class name>/<session>/<file>     a sample of capture session <session>

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import { logger } from '../log.js';
import { addClass } from './classes.js';
import { type CreateProjectOptions, createProject } from './project.js';
import { hasSampleExtension } from './sample-check.js';
import { type AddSamplesResult, addSamples } from './samples.js';
import type { Project } from './schema.js';

export interface ImportFolderOptions extends CreateProjectOptions {
  /** Called after each file with the number of files handled so far. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ImportFolderResult {
  project: Project;
  skipped: AddSamplesResult['skipped'];
}

/** A class subfolder of a dataset folder, its samples grouped by capture session. */
export interface ClassFolder {
  name: string;
  groups: { session?: string; files: string[] }[];
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.name.startsWith('.'))
    .map((entry) => ({ name: entry.name, isDir: entry.isDirectory() }))
    .sort((a, b) => naturalOrder(a.name, b.name));
}

async function scanClass(kind: Project['kind'], dir: string, name: string): Promise<ClassFolder> {
  const loose: string[] = [];
  const groups: ClassFolder['groups'] = [];
  for (const entry of await listDir(dir)) {
    const full = path.join(dir, entry.name);
    if (entry.isDir) {
      const files = (await listDir(full)).filter((item) => !item.isDir && hasSampleExtension(kind, item.name)).map((item) => path.join(full, item.name));
      if (files.length > 0) groups.push({ session: entry.name, files });
    } else if (hasSampleExtension(kind, entry.name)) {
      loose.push(full);
    } else {
      logger.debug(`import: ignoring ${full} (not a ${kind} file)`);
    }
  }
  if (loose.length > 0) groups.unshift({ files: loose });
  return { name, groups };
}

/**
 * Lists the class subfolders of `sourceDir` in natural order (2 before 10) with their sample
 * files. A subfolder of a class folder is a capture session. Hidden entries and files of other
 * kinds are ignored. Throws when the folder is missing or has no class subfolders.
 */
export async function scanClassFolders(sourceDir: string, kind: Project['kind'] = 'image'): Promise<ClassFolder[]> {
  const source = path.resolve(sourceDir);
  let isDir = false;
  try {
    isDir = (await stat(source)).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new EdgeTrainerError('not_found', `Folder not found: ${source}.`, {
      path: source,
      hint: 'Give a folder with one subfolder per class.',
      key: 'folder_not_found',
      params: { dir: source },
    });
  }
  const classDirs = (await listDir(source)).filter((entry) => entry.isDir);
  const classes = await Promise.all(classDirs.map((entry) => scanClass(kind, path.join(source, entry.name), entry.name)));
  if (classes.length === 0) {
    throw new EdgeTrainerError('invalid_input', `No class subfolders in ${source}.`, {
      path: source,
      hint: 'Put the samples of each class in their own subfolder, named after the class.',
      key: 'folder_no_classes',
      params: { dir: source },
    });
  }
  return classes;
}

/**
 * Creates a project in `projectDir` from `sourceDir`: each subfolder becomes a class named after
 * it (in natural order: 2 before 10), each of its files a sample, and each of its subfolders a
 * capture session. Files that fail the sample check are skipped and listed in the result.
 */
export async function importFolder(sourceDir: string, projectDir: string, options: ImportFolderOptions = {}): Promise<ImportFolderResult> {
  const source = path.resolve(sourceDir);
  const kind = options.kind ?? 'image';
  const classes = await scanClassFolders(source, kind);

  const project = await createProject(projectDir, { ...options, kind, name: options.name ?? path.basename(source) });
  const total = classes.reduce((sum, item) => sum + item.groups.reduce((count, group) => count + group.files.length, 0), 0);
  let done = 0;
  const skipped: ImportFolderResult['skipped'] = [];
  for (const item of classes) {
    const added = await addClass(project, item.name);
    for (const group of item.groups) {
      const base = done;
      const result = await addSamples(project, added.id, group.files, {
        session: group.session,
        signal: options.signal,
        onProgress: (count) => options.onProgress?.(base + count, total),
      });
      done += group.files.length;
      skipped.push(...result.skipped);
    }
  }
  if (options.signal?.aborted) {
    throw new EdgeTrainerError('cancelled', `Import of ${source} was cancelled after ${done} of ${total} files.`, {
      path: project.dir,
      hint: 'The project keeps the samples added so far; import the rest with addSamples or start again in an empty folder.',
    });
  }
  return { project, skipped };
}
