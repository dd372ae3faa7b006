// Atomic writes. A file goes to a temporary file in the same folder, is flushed, then renamed over
// the target, so a crash leaves either the old file or the new one, never half of one. A folder is
// filled under a staging name beside the target and then swapped in the same way.

import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

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

/**
 * Fills a new staging folder beside `target` with `fill`, then puts it in the place of `target`.
 * An existing `target` is removed only after the new folder is in place; on failure it is kept.
 */
export async function replaceFolder(target: string, fill: (staging: string) => Promise<void>): Promise<void> {
  const suffix = randomBytes(4).toString('hex');
  const staging = `${target}.partial-${suffix}`;
  await mkdir(staging, { recursive: true });
  try {
    await fill(staging);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  const previous = `${target}.previous-${suffix}`;
  let replacing = true;
  try {
    await rename(target, previous);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(staging, { recursive: true, force: true });
      throw error;
    }
    replacing = false;
  }
  try {
    await rename(staging, target);
  } catch (error) {
    if (replacing) await rename(previous, target);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (replacing) await rm(previous, { recursive: true, force: true });
}
