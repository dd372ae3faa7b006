// Atomic writes. A file goes to a temporary file in the same folder, is flushed, then renamed over
// the target, so a crash leaves either the old file or the new one, never half of one. A folder is
// filled under a staging name beside the target and then moved into its place (replaceFolder).

import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, realpath, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { logger } from '../log.js';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Resolves '.', a trailing separator and symlinks, so the folder itself is filled, not a link replaced. */
async function resolveFolder(target: string): Promise<{ folder: string; exists: boolean }> {
  try {
    return { folder: await realpath(target), exists: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { folder: path.resolve(target), exists: false };
  }
}

/**
 * Fills a new staging folder beside `target` with `fill`, then puts its contents in the place of
 * `target`'s. A missing `target` is the staging folder renamed. An existing one stays where it is,
 * because it may be a process's working directory (which Windows does not let anyone rename) or
 * the destination of a symlink. Its entries move to a `.previous` folder beside it, the new ones
 * move in, and on failure the old ones move back.
 * NOTE: the moves are not one atomic step, so a crash between them leaves the old entries in that
 * `.previous` folder.
 */
export async function replaceFolder(target: string, fill: (staging: string) => Promise<void>): Promise<void> {
  const { folder, exists } = await resolveFolder(target);
  const suffix = randomBytes(4).toString('hex');
  const staging = `${folder}.partial-${suffix}`;
  await mkdir(staging, { recursive: true });
  try {
    await fill(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  if (!exists) {
    try {
      await rename(staging, folder);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    return;
  }

  const previous = `${folder}.previous-${suffix}`;
  await mkdir(previous);
  const movedOut: string[] = [];
  const movedIn: string[] = [];
  try {
    for (const entry of await readdir(folder)) {
      await rename(path.join(folder, entry), path.join(previous, entry));
      movedOut.push(entry);
    }
    for (const entry of await readdir(staging)) {
      await rename(path.join(staging, entry), path.join(folder, entry));
      movedIn.push(entry);
    }
  } catch (error) {
    try {
      for (const entry of movedIn) await rm(path.join(folder, entry), { recursive: true, force: true });
      for (const entry of movedOut) await rename(path.join(previous, entry), path.join(folder, entry));
      // rmdir, not rm: it fails on an entry that is still there, which must not be deleted.
      await rmdir(previous);
    } catch (restoreError) {
      logger.error(`Could not put the earlier files of ${folder} back: ${(restoreError as Error).message}. They are in ${previous}.`);
    }
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await rm(staging, { recursive: true, force: true });
  try {
    await rm(previous, { recursive: true, force: true });
  } catch (error) {
    // The new contents are in place, so a leftover (a file another program has open) is only reported.
    logger.warn(`Could not remove the replaced files in ${previous}: ${(error as Error).message}. Delete that folder by hand.`);
  }
}
