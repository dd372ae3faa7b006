// The recent-projects list, kept as JSON in the app's configuration folder.

import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../models/io/atomic.js';
import { logger } from '../../models/log.js';

/** Entries kept in the list. */
export const MAX_RECENT = 10;
const FILE_NAME = 'recent-projects.json';

export async function readRecent(configDir: string): Promise<string[]> {
  const file = path.join(configDir, FILE_NAME);
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string').slice(0, MAX_RECENT) : [];
  } catch (error) {
    // A missing list is normal on first start; a damaged one is reported and then replaced.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`ignored unreadable ${file}: ${(error as Error).message}`);
    return [];
  }
}

/** Puts `dir` first in the list and returns the new list. */
export async function rememberRecent(configDir: string, dir: string): Promise<string[]> {
  const list = [dir, ...(await readRecent(configDir)).filter((item) => item !== dir)].slice(0, MAX_RECENT);
  await mkdir(configDir, { recursive: true });
  await writeFileAtomic(path.join(configDir, FILE_NAME), `${JSON.stringify(list, null, 2)}\n`);
  return list;
}
