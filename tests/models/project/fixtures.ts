// Helpers for project tests: temporary folders, bad sample files, and folder snapshots.

import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export function temporaryDir(prefix = 'edge-trainer-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Lists every file and folder under `dir` with the SHA-256 of each file, for byte-identity checks. */
export async function snapshotDir(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, full);
    result[relative] = entry.isDirectory() ? 'dir' : createHash('sha256').update(await readFile(full)).digest('hex');
  }
  return result;
}

export async function writeEmptyFile(dir: string, name = 'empty.jpg'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, new Uint8Array(0));
  return file;
}

export async function writeTextAsJpeg(dir: string, name = 'notes.jpg'): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, 'This is a shopping list, not a photo.\n');
  return file;
}

/** Writes a 64x64 noise PNG cut to its first half, so the header is valid but the pixel data ends early. */
export async function writeTruncatedPng(dir: string, name = 'truncated.png'): Promise<string> {
  const noise = Buffer.alloc(64 * 64 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
  const png = await sharp(noise, { raw: { width: 64, height: 64, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
  const file = path.join(dir, name);
  await writeFile(file, png.subarray(0, Math.floor(png.length / 2)));
  return file;
}

/** Writes a plain-colour JPEG of `side` x `side` pixels, which decodes to side x side x 3 bytes. */
export async function writeLargeJpeg(dir: string, side: number, name = 'large.jpg'): Promise<string> {
  const file = path.join(dir, name);
  await sharp({ create: { width: side, height: side, channels: 3, background: { r: 90, g: 140, b: 200 } } })
    .jpeg({ quality: 80 })
    .toFile(file);
  return file;
}
