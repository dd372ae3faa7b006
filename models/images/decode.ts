// Decodes image files into 8-bit RGB pixels, honouring EXIF orientation. sharp (libvips) reads
// JPEG, PNG, WebP, GIF (first frame), TIFF and AVIF; BMP goes through the small reader in bmp.ts.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { EdgeTrainerError, type ErrorMessageKey } from '../errors.js';
import { decodeBmp, isBmp } from './bmp.js';

export const IMAGE_EXTENSIONS: readonly string[] = Object.freeze([
  '.jpg', '.jpeg', '.png', '.webp', '.bmp', '.gif', '.tif', '.tiff', '.avif',
]);

/** Largest image accepted, in pixels (about 16k x 16k). libvips streams, so memory stays bounded. */
export const MAX_INPUT_PIXELS = 268_402_689;

/** Interleaved 8-bit pixels, row-major, `channels` values per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  channels: 3;
  data: Uint8Array;
}

export function isImagePath(file: string): boolean {
  return IMAGE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

interface ImageProblem {
  reason: string;
  key: ErrorMessageKey;
}

function invalidImage(file: string, problem: ImageProblem, cause?: unknown): EdgeTrainerError {
  return new EdgeTrainerError('invalid_input', `Cannot read image ${file}: ${problem.reason}.`, {
    path: file,
    hint: 'Replace or remove this file; it is skipped until then.',
    cause,
    key: problem.key,
    params: { file, pixels: MAX_INPUT_PIXELS },
  });
}

/**
 * Decodes an image and returns the centre square of it, scaled down by libvips when that square is
 * larger than `maxSide` (so an 8000x8000 photo never becomes a 192 MB buffer). Smaller squares are
 * returned as they are, so the exact resize happens in preprocess.ts.
 */
export async function decodeCenterSquare(file: string, maxSide: number): Promise<RgbImage> {
  let info;
  try {
    info = await stat(file);
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Image not found: ${file}.`, { path: file, cause: error, key: 'image_not_found', params: { file } });
  }
  if (info.size === 0) throw invalidImage(file, { reason: 'the file is empty (0 bytes)', key: 'image_empty' });

  const bytes = await readFile(file);
  if (isBmp(bytes)) {
    let bmp: RgbImage;
    try {
      bmp = decodeBmp(bytes);
    } catch (error) {
      throw invalidImage(file, { reason: (error as Error).message, key: 'image_corrupt' }, error);
    }
    return cropAndShrink(sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: 3 } }), bmp.width, bmp.height, maxSide, file);
  }

  let image: Sharp;
  let width: number;
  let height: number;
  try {
    // rotate() with no angle applies the EXIF orientation; autoOrient reports the rotated size.
    image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 }).rotate();
    const meta = await image.metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch (error) {
    throw invalidImage(file, describeSharpError(error), error);
  }
  if (width === 0 || height === 0) throw invalidImage(file, { reason: 'it has no pixels', key: 'image_corrupt' });
  return cropAndShrink(image, width, height, maxSide, file);
}

async function cropAndShrink(
  image: Sharp,
  width: number,
  height: number,
  maxSide: number,
  file: string,
): Promise<RgbImage> {
  const side = Math.min(width, height);
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  let pipeline = image.extract({ left, top, width: side, height: side });
  if (side > maxSide) pipeline = pipeline.resize(maxSide, maxSide, { kernel: 'linear' });
  try {
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return { width: info.width, height: info.height, channels: 3, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (error) {
    throw invalidImage(file, describeSharpError(error), error);
  }
}

function describeSharpError(error: unknown): ImageProblem {
  const message = (error as Error).message ?? String(error);
  if (/unsupported image format/i.test(message)) return { reason: 'not a supported image format (JPEG, PNG, WebP, BMP, GIF, TIFF, AVIF)', key: 'image_unsupported' };
  if (/premature end|truncated|unexpected end|corrupt|invalid|read error/i.test(message)) return { reason: `the file is truncated or corrupt (${message.trim()})`, key: 'image_corrupt' };
  if (/pixel limit/i.test(message)) return { reason: `the image is larger than ${MAX_INPUT_PIXELS} pixels`, key: 'image_too_large' };
  return { reason: message.trim(), key: 'image_unreadable' };
}
