// Content checks for sample files, one per project kind, so a broken file is rejected when it is
// added instead of failing a later training run.

import { open } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../errors.js';
import { IMAGE_EXTENSIONS, decodeCenterSquare } from '../images/decode.js';
import type { ProjectKind } from './schema.js';

export interface SampleKindInfo {
  /** Accepted file extensions, lowercase with the dot. */
  extensions: readonly string[];
  /** Throws an EdgeTrainerError naming `file` when its content is not a usable sample. */
  check: (file: string) => Promise<void>;
}

/** Side the image check decodes to; small, because the check only proves the whole file decodes. */
const CHECK_SIDE = 32;

async function checkImage(file: string): Promise<void> {
  await decodeCenterSquare(file, CHECK_SIDE);
}

async function checkWav(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(12);
    const { bytesRead } = await handle.read(header, 0, 12, 0);
    if (bytesRead < 12 || header.toString('latin1', 0, 4) !== 'RIFF' || header.toString('latin1', 8, 12) !== 'WAVE') {
      throw new EdgeTrainerError('invalid_input', `Cannot read sound ${file}: it is not a WAV file (no RIFF/WAVE header).`, {
        path: file,
        hint: 'Record the clip again or convert it to WAV.',
      });
    }
  } finally {
    await handle.close();
  }
}

export const SAMPLE_KINDS: Readonly<Record<ProjectKind, SampleKindInfo>> = Object.freeze({
  image: Object.freeze({ extensions: IMAGE_EXTENSIONS, check: checkImage }),
  audio: Object.freeze({ extensions: Object.freeze(['.wav']), check: checkWav }),
});

/** Returns whether `file` has an extension the project kind accepts. */
export function hasSampleExtension(kind: ProjectKind, file: string): boolean {
  return SAMPLE_KINDS[kind].extensions.includes(path.extname(file).toLowerCase());
}

/**
 * Checks that `file` is a usable sample of `kind`: accepted extension, readable, not empty, and
 * decodable. Throws an EdgeTrainerError that names the file and the fix.
 */
export async function checkSampleFile(kind: ProjectKind, file: string, displayName = file): Promise<void> {
  if (!hasSampleExtension(kind, displayName)) {
    throw new EdgeTrainerError('invalid_input', `Cannot add ${displayName}: ${kind} samples must be ${SAMPLE_KINDS[kind].extensions.join(', ')} files.`, {
      path: displayName,
      hint: 'Convert the file to one of those formats, or pick another file.',
      key: 'sample_wrong_extension',
      params: { file: displayName, extensions: SAMPLE_KINDS[kind].extensions.join(', ') },
    });
  }
  try {
    await SAMPLE_KINDS[kind].check(file);
  } catch (error) {
    if (error instanceof EdgeTrainerError && file !== displayName) {
      const params = error.params && Object.fromEntries(Object.entries(error.params).map(([name, value]) => [name, value === file ? displayName : value]));
      throw new EdgeTrainerError(error.code, error.message.replaceAll(file, displayName), { path: displayName, hint: error.hint, cause: error, key: error.key, params });
    }
    throw error;
  }
}
