// Validation of a batch of preprocessed images passed as one flat float32 array.

import { EdgeTrainerError } from '../errors.js';
import type { InputSpec } from '../images/preprocess.js';

/**
 * Checks that `inputs` contains `count` images of `spec` in [count, size, size, channels] order and
 * returns the number of values per image. Throws EdgeTrainerError 'invalid_argument' naming `caller`.
 */
export function checkImageBatch(caller: string, spec: InputSpec, inputs: Float32Array, count: number): number {
  const { size, channels } = spec;
  const imageLength = size * size * channels;
  if (!Number.isInteger(count) || count < 0 || inputs.length !== count * imageLength) {
    throw new EdgeTrainerError('invalid_argument', `${caller}: expected ${count} x ${size} x ${size} x ${channels} = ${count * imageLength} values, got ${inputs.length}.`, {
      hint: `Preprocess each image with loadImageInput(file, { size: ${size}, channels: ${channels} }).`,
    });
  }
  return imageLength;
}
