// Inputs shared by the classifier tests: Teachable Machine exports and real photos.

import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { InputSpec } from '../../models/images/preprocess.js';
import { loadImageInput } from '../../models/images/preprocess.js';
import { testDataDir } from '../../models/paths.js';

export interface TmImageExport {
  name: string;
  baseId: string;
  input: InputSpec;
  classCount: number;
}

/** Every Teachable Machine image export in the test data, with what the loader must find. */
export const TM_IMAGE_EXPORTS: readonly TmImageExport[] = [
  { name: 'image-1', baseId: 'mobilenet-v2-224', input: { size: 224, channels: 3 }, classCount: 5 },
  { name: 'image-2', baseId: 'mobilenet-v2-224', input: { size: 224, channels: 3 }, classCount: 4 },
  { name: 'image-3', baseId: 'mobilenet-v2-224', input: { size: 224, channels: 3 }, classCount: 5 },
  { name: 'image-official-2019', baseId: 'mobilenet-v2-224', input: { size: 224, channels: 3 }, classCount: 2 },
  { name: 'tiny-image-official', baseId: 'mobilenet-v1-96-gray', input: { size: 96, channels: 1 }, classCount: 2 },
  { name: 'tiny-image-1', baseId: 'mobilenet-v1-96-gray', input: { size: 96, channels: 1 }, classCount: 26 },
];

export function tmExportDir(name: string): string {
  return path.join(testDataDir(), 'tm-exports', name);
}

export function gesturesDir(): string {
  return path.join(testDataDir(), 'gestures', 'sign-language-digits');
}

/** Returns one photo of each of three hand-sign classes. */
export function samplePhotos(): string[] {
  return [
    path.join(gesturesDir(), '0', 'IMG_1118.JPG'),
    path.join(gesturesDir(), '1', 'IMG_1119.JPG'),
    path.join(gesturesDir(), '2', 'IMG_1181.JPG'),
  ];
}

/** Preprocessed photos as one batch tensor [n, size, size, channels]. */
export async function photoBatch(files: readonly string[], input: InputSpec): Promise<tf.Tensor4D> {
  const pixels = input.size * input.size * input.channels;
  const batch = new Float32Array(files.length * pixels);
  for (const [index, file] of files.entries()) batch.set(await loadImageInput(file, input), index * pixels);
  return tf.tensor4d(batch, [files.length, input.size, input.size, input.channels]);
}

export function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}
