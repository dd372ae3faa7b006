// Collects the image files a command works on, from files and folders given on the command line.

import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../../models/errors.js';
import { isImagePath } from '../../models/images/decode.js';
import type { TrainingSampleInput } from '../../models/training/samples.js';

export interface ClassFolder {
  /** Folder name, used as the class label. */
  label: string;
  /** Image files in the folder and its subfolders, sorted. */
  files: string[];
}

interface FolderEntry {
  name: string;
  path: string;
  isDirectory: boolean;
}

/** Lists a folder's visible entries sorted by name, following symbolic links. */
async function listFolder(dir: string): Promise<FolderEntry[]> {
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort();
  const entries: FolderEntry[] = [];
  for (const name of names) {
    const entryPath = path.join(dir, name);
    try {
      entries.push({ name, path: entryPath, isDirectory: (await stat(entryPath)).isDirectory() });
    } catch {
      // A dangling link is kept as a file, so it is reported by name if it looks like an image.
      entries.push({ name, path: entryPath, isDirectory: false });
    }
  }
  return entries;
}

async function imagesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await listFolder(dir)) {
    if (entry.isDirectory) files.push(...(await imagesUnder(entry.path)));
    else if (isImagePath(entry.name)) files.push(entry.path);
  }
  return files;
}

async function statOrThrow(target: string) {
  try {
    return await stat(target);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `File or folder not found: ${target}.`, {
      path: target,
      hint: 'Check the path and try again.',
      cause: error,
      key: 'path_not_found',
      params: { path: target },
    });
  }
}

/**
 * Expands the given paths into image files: a file is kept as given (so an unreadable one is
 * reported by name later), a folder contributes the images inside it.
 */
export async function collectImageFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const target of paths) {
    const info = await statOrThrow(target);
    files.push(...(info.isDirectory() ? await imagesUnder(target) : [target]));
  }
  return files;
}

/** Reads a folder of class folders (one subfolder of images per class, named after the class). */
export async function readClassFolders(root: string): Promise<ClassFolder[]> {
  const info = await statOrThrow(root);
  if (!info.isDirectory()) {
    throw new EdgeTrainerError('invalid_input', `${root} is not a folder.`, { path: root, hint: 'Give a folder with one subfolder of images per class.' });
  }
  const classes: ClassFolder[] = [];
  for (const entry of await listFolder(root)) {
    if (entry.isDirectory) classes.push({ label: entry.name, files: await imagesUnder(entry.path) });
  }
  if (classes.every((folder) => folder.files.length === 0)) {
    throw new EdgeTrainerError('invalid_input', `${root} has no class folders with images.`, {
      path: root,
      hint: 'Put the photos of each class in their own subfolder, named after the class (for example photos/cat/*.jpg).',
    });
  }
  return classes;
}

/**
 * Reads a folder of class folders as training samples, with the layout project import uses:
 * CLASS/FILE is a sample without a session, CLASS/SESSION/FILE a sample of capture session
 * SESSION (validation keeps sessions whole). Deeper folders are ignored.
 */
export async function readClassFolderSamples(root: string): Promise<TrainingSampleInput[]> {
  await readClassFolders(root);
  const samples: TrainingSampleInput[] = [];
  for (const classEntry of (await listFolder(root)).filter((entry) => entry.isDirectory)) {
    for (const entry of await listFolder(classEntry.path)) {
      if (!entry.isDirectory) {
        if (isImagePath(entry.name)) samples.push({ file: entry.path, label: classEntry.name });
        continue;
      }
      for (const file of await listFolder(entry.path)) {
        if (!file.isDirectory && isImagePath(file.name)) samples.push({ file: file.path, label: classEntry.name, session: entry.name });
      }
    }
  }
  return samples;
}
