// Class edits on an open project. Each function changes the project in memory, then saves
// project.json; a failed check leaves both unchanged.

import { rm } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import { withProjectLock } from './lock.js';
import { pathExists, saveProject } from './project.js';
import { type Project, type ProjectClass, SAMPLES_DIR } from './schema.js';

function checkName(project: Project, name: string, exceptId?: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) {
    throw new EdgeTrainerError('invalid_argument', 'A class name cannot be empty.', { hint: 'Type a name for the class.', key: 'class_name_empty' });
  }
  const existing = project.classes.find((item) => item.name === trimmed && item.id !== exceptId);
  if (existing) {
    throw new EdgeTrainerError('invalid_argument', `A class named "${trimmed}" already exists.`, { hint: 'Choose another name.', key: 'class_name_taken', params: { name: trimmed } });
  }
  return trimmed;
}

/** Returns the class with `classId`, or throws a `not_found` error. */
export function getClass(project: Project, classId: string): ProjectClass {
  const found = project.classes.find((item) => item.id === classId);
  if (!found) {
    throw new EdgeTrainerError('not_found', `No class with id "${classId}" in project ${project.name}.`, {
      hint: `Use one of: ${project.classes.map((item) => item.id).join(', ') || '(no classes yet)'}.`,
    });
  }
  return found;
}

async function nextClassId(project: Project): Promise<string> {
  let highest = 0;
  for (const item of project.classes) {
    const match = /^c(\d+)$/.exec(item.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  // A folder kept by deleteClass still contains the old class's files, so its id is not reused.
  let number = highest + 1;
  while (await pathExists(path.join(project.dir, SAMPLES_DIR, `c${number}`))) number++;
  return `c${number}`;
}

/** Adds a class at the end of the class list and returns it. */
export async function addClass(project: Project, name: string): Promise<ProjectClass> {
  return withProjectLock(project, async () => {
    const checkedName = checkName(project, name);
    const added: ProjectClass = { id: await nextClassId(project), name: checkedName };
    project.classes.push(added);
    await saveProject(project);
    return added;
  });
}

export async function renameClass(project: Project, classId: string, name: string): Promise<ProjectClass> {
  return withProjectLock(project, async () => {
    const target = getClass(project, classId);
    target.name = checkName(project, name, classId);
    await saveProject(project);
    return target;
  });
}

export interface DeleteClassOptions {
  /** Also delete the class's sample files from disk; by default they stay under samples/<classId>/. */
  deleteFiles?: boolean;
}

/**
 * Removes a class and its samples from the project. The sample files stay on disk unless
 * `deleteFiles` is set, and then are removed only after project.json no longer lists them.
 */
export async function deleteClass(project: Project, classId: string, options: DeleteClassOptions = {}): Promise<void> {
  return withProjectLock(project, async () => {
    getClass(project, classId);
    project.classes = project.classes.filter((item) => item.id !== classId);
    project.samples = project.samples.filter((sample) => sample.classId !== classId);
    await saveProject(project);
    if (options.deleteFiles) await rm(path.join(project.dir, SAMPLES_DIR, classId), { recursive: true, force: true });
  });
}

/** Puts the classes in the order of `classIds`, which must list every class exactly once. */
export async function reorderClasses(project: Project, classIds: readonly string[]): Promise<void> {
  return withProjectLock(project, async () => {
    const current = project.classes.map((item) => item.id).sort();
    const requested = [...classIds].sort();
    if (current.length !== requested.length || current.some((id, index) => id !== requested[index])) {
      throw new EdgeTrainerError('invalid_argument', `The new class order must list each class id once: got [${classIds.join(', ')}].`, {
        hint: `Use a permutation of: ${project.classes.map((item) => item.id).join(', ')}.`,
      });
    }
    project.classes = classIds.map((id) => getClass(project, id));
    await saveProject(project);
  });
}
