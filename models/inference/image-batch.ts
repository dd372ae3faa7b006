// Batches of preprocessed images passed as one flat float32 array: validation and splitting.

import type { Embedder } from '../embeddings/embedder.js';
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

/** Embeds `count` images `batchSize` at a time, which bounds the activation memory of one call. */
export async function embedInBatches(embedder: Embedder, inputs: Float32Array, count: number, batchSize: number): Promise<Float32Array> {
  const imageLength = checkImageBatch('embedInBatches', embedder.input, inputs, count);
  const embeddings = new Float32Array(count * embedder.embeddingSize);
  for (let start = 0; start < count; start += batchSize) {
    const batch = Math.min(batchSize, count - start);
    const batchInputs = inputs.subarray(start * imageLength, (start + batch) * imageLength);
    embeddings.set(await embedder.embed(batchInputs, batch), start * embedder.embeddingSize);
  }
  return embeddings;
}
