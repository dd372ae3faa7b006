// Augmentation before the base: a random square crop (zoom), a horizontal flip, then brightness
// and contrast changes. Each augmented copy draws from its own seeded generator, so copy k of a
// sample is the same image in every run with the same seed and settings.

import { createHash } from 'node:crypto';
import { type RgbImage, decodeCenterSquare } from '../images/decode.js';
import { type InputSpec, preprocessSquare } from '../images/preprocess.js';
import type { AugmentationSettings } from './options.js';
import { type Random, createRandom, deriveSeed, uniform } from './random.js';

/** Squares larger than this many times the input side are shrunk by libvips first (as in preprocess.ts). */
const PRESHRINK_FACTOR = 4;

/** Digest of what decides the augmented pixels: the seed and the settings. Part of the cache key. */
export function augmentationDigest(seed: number, settings: AugmentationSettings): string {
  const { horizontalFlip, maxZoom, brightness, contrast } = settings;
  return createHash('sha256').update(JSON.stringify({ seed, horizontalFlip, maxZoom, brightness, contrast })).digest('hex').slice(0, 16);
}

/** Copies a square region of `image`, mirrored left to right when `flip` is set. */
export function cropSquare(image: RgbImage, left: number, top: number, side: number, flip: boolean): RgbImage {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    const sourceRow = ((top + y) * image.width + left) * 3;
    for (let x = 0; x < side; x++) {
      const sourceX = flip ? side - 1 - x : x;
      const source = sourceRow + sourceX * 3;
      const target = (y * side + x) * 3;
      data[target] = image.data[source];
      data[target + 1] = image.data[source + 1];
      data[target + 2] = image.data[source + 2];
    }
  }
  return { width: side, height: side, channels: 3, data };
}

/**
 * Shifts brightness and scales contrast of preprocessed values in [-1, 1] in place, where 0 is
 * mid-grey: v' = clamp(v * contrastFactor + brightnessShift, -1, 1).
 */
export function adjustBrightnessContrast(values: Float32Array, brightnessShift: number, contrastFactor: number): Float32Array {
  for (let i = 0; i < values.length; i++) {
    values[i] = Math.min(1, Math.max(-1, values[i] * contrastFactor + brightnessShift));
  }
  return values;
}

/** Applies one random augmentation to a decoded square and returns the model input. */
export function augmentSquare(square: RgbImage, spec: InputSpec, settings: AugmentationSettings, random: Random): Float32Array {
  const side = square.width;
  const cropSide = Math.max(1, Math.round(side * uniform(random, 1 - settings.maxZoom, 1)));
  const left = Math.floor(random() * (side - cropSide + 1));
  const top = Math.floor(random() * (side - cropSide + 1));
  const flip = settings.horizontalFlip && random() < 0.5;
  // The full 0..255 range spans 2 in the [-1, 1] scale, so a brightness fraction b shifts by up to 2b.
  const brightnessShift = 2 * uniform(random, -settings.brightness, settings.brightness);
  const contrastFactor = uniform(random, 1 - settings.contrast, 1 + settings.contrast);

  const input = preprocessSquare(cropSquare(square, left, top, cropSide, flip), spec);
  return adjustBrightnessContrast(input, brightnessShift, contrastFactor);
}

/**
 * Decodes `file` and returns augmented copy `variant` (1-based) as a model input. The generator is
 * seeded from the run seed, the sample's SHA-256 and the variant, so the result does not depend
 * on the order samples are processed in.
 */
export async function loadAugmentedInput(
  file: string,
  sha256: string,
  variant: number,
  spec: InputSpec,
  settings: AugmentationSettings,
  seed: number,
): Promise<Float32Array> {
  const square = await decodeCenterSquare(file, spec.size * PRESHRINK_FACTOR);
  return augmentSquare(square, spec, settings, createRandom(deriveSeed(seed, 'augment', sha256, variant)));
}
