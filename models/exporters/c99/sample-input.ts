// Turns a real sample (an image file) into one raw model input, for the Arduino example sketch.

import { EdgeTrainerError } from '../../errors.js';
import { loadImageInput } from '../../images/preprocess.js';
import type { TfliteTensor } from '../../tflite/reader.js';
import { affineQuantize } from '../../reference/Quantize.js';

/** Preprocesses `file` for a [1, size, size, 1 or 3] int8 or uint8 image input and quantizes it. */
export async function imageSampleInput(file: string, input: TfliteTensor): Promise<{ bytes: Uint8Array; description: string; image: string }> {
  const [batch, height, width, channels] = input.shape;
  const q = input.quantization;
  if (input.shape.length !== 4 || batch !== 1 || height !== width || (channels !== 1 && channels !== 3) || !q || (input.type !== 'INT8' && input.type !== 'UINT8')) {
    throw new EdgeTrainerError('unsupported', `Cannot use image ${file} as a sample: the model input "${input.name}" is ${input.type} [${input.shape.join(', ')}], not a square int8 or uint8 image.`, {
      path: file,
      hint: 'Leave out --sample for this model; the example sketch then uses a neutral input.',
    });
  }
  const real = await loadImageInput(file, { size: height, channels: channels as 1 | 3 });
  const [min, max] = input.type === 'INT8' ? [-128, 127] : [0, 255];
  const values = Int32Array.from(real, (value) => affineQuantize(value, q.scale[0], q.zeroPoint[0] ?? 0, min, max));
  const bytes = Uint8Array.from(values, (value) => value & 0xff);
  const image = file.split(/[\\/]/).pop()!;
  return { bytes, description: `preprocessed from ${image}`, image };
}
