import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../../models/images/decode.js';
import { adjustBrightnessContrast, augmentSquare, augmentationDigest, cropSquare, loadAugmentedInput } from '../../../models/training/augment.js';
import { resolveTrainingSettings } from '../../../models/training/options.js';
import { createRandom } from '../../../models/training/random.js';
import { digitFiles } from './digits.js';

/** Builds a 3x3 image whose red channel is the pixel index, so positions can be read back. */
function indexImage(): RgbImage {
  const data = new Uint8Array(27);
  for (let pixel = 0; pixel < 9; pixel++) data[pixel * 3] = pixel;
  return { width: 3, height: 3, channels: 3, data };
}

const SETTINGS = resolveTrainingSettings({ seed: 1, augmentation: { copies: 2 } }).augmentation;

describe('augmentation', () => {
  it('cropSquare with flip mirrors rows', () => {
    const cropped = cropSquare(indexImage(), 1, 1, 2, true);
    expect(Array.from(cropped.data.filter((_, index) => index % 3 === 0))).toEqual([5, 4, 8, 7]);
  });

  it('brightness and contrast clamp to range', () => {
    const values = adjustBrightnessContrast(Float32Array.from([-1, 0, 0.5, 1]), 0.5, 1.5);
    expect(Array.from(values)).toEqual([-1, 0.5, 1, 1]);
  });

  it('copies are reproducible and distinct', async () => {
    const file = digitFiles('2')[0];
    const spec = { size: 96, channels: 1 } as const;
    const first = await loadAugmentedInput(file, 'a'.repeat(64), 1, spec, SETTINGS, 5);
    const again = await loadAugmentedInput(file, 'a'.repeat(64), 1, spec, SETTINGS, 5);
    const second = await loadAugmentedInput(file, 'a'.repeat(64), 2, spec, SETTINGS, 5);
    expect(again).toEqual(first);
    expect(second).not.toEqual(first);
    expect(first.every((value) => value >= -1 && value <= 1)).toBe(true);
  });

  it('digest follows seed and settings', () => {
    expect(augmentationDigest(1, SETTINGS)).toBe(augmentationDigest(1, { ...SETTINGS }));
    expect(augmentationDigest(2, SETTINGS)).not.toBe(augmentationDigest(1, SETTINGS));
    expect(augmentationDigest(1, { ...SETTINGS, maxZoom: 0.1 })).not.toBe(augmentationDigest(1, SETTINGS));
    // The copy count does not change any single copy, so it stays out of the digest.
    expect(augmentationDigest(1, { ...SETTINGS, copies: 5 })).toBe(augmentationDigest(1, SETTINGS));
  });

  it('no-op settings keep the crop whole', () => {
    const still = { copies: 1, horizontalFlip: false, maxZoom: 0, brightness: 0, contrast: 0 };
    const image = indexImage();
    const output = augmentSquare(image, { size: 3, channels: 3 }, still, createRandom(3));
    const red = Array.from(output.filter((_, index) => index % 3 === 0));
    red.forEach((value, pixel) => expect(value, `pixel ${pixel}`).toBeCloseTo(pixel / 127.5 - 1, 6));
  });
});
