// The one preprocessing spec shared by training, prediction, the app and every exporter. It takes
// the centre square, resizes it bilinearly with half-pixel centres, converts it to BT.601 grayscale
// for 1-channel bases, and scales 0..255 to [-1, 1] as x / 127.5 - 1. That last step is Keras's
// MobileNet preprocess_input, which the pretrained bases were trained with; docs/formats.md says why.

import { decodeCenterSquare, type RgbImage } from './decode.js';

export interface InputSpec {
  /** Side of the square model input, in pixels. */
  size: number;
  /** 3 for RGB, 1 for grayscale. */
  channels: 1 | 3;
}

/** Squares larger than this many times the input side are shrunk by libvips before the exact resize. */
const PRESHRINK_FACTOR = 4;

/** BT.601 luma weights, applied to the resized RGB values. */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.299, 0.587, 0.114];

export function scaleToUnitRange(value: number): number {
  return value / 127.5 - 1;
}

/**
 * Resizes a square RGB image to `spec.size` with bilinear sampling at half-pixel centres
 * (source = (destination + 0.5) * scale - 0.5, clamped to the edge, as TensorFlow's
 * resize_bilinear with half_pixel_centers), converts it to grayscale when `spec.channels` is 1,
 * and scales it to [-1, 1]. Returns values in height, width, channel order.
 */
export function preprocessSquare(image: RgbImage, spec: InputSpec): Float32Array {
  if (image.width !== image.height) throw new Error(`preprocessSquare: expected a square image, got ${image.width}x${image.height}`);
  const inSide = image.width;
  const outSide = spec.size;
  const scale = inSide / outSide;
  const out = new Float32Array(outSide * outSide * spec.channels);
  const rgb = [0, 0, 0];

  for (let outY = 0; outY < outSide; outY++) {
    const sourceY = Math.min(Math.max((outY + 0.5) * scale - 0.5, 0), inSide - 1);
    const y0 = Math.floor(sourceY);
    const y1 = Math.min(y0 + 1, inSide - 1);
    const dy = sourceY - y0;
    for (let outX = 0; outX < outSide; outX++) {
      const sourceX = Math.min(Math.max((outX + 0.5) * scale - 0.5, 0), inSide - 1);
      const x0 = Math.floor(sourceX);
      const x1 = Math.min(x0 + 1, inSide - 1);
      const dx = sourceX - x0;
      for (let c = 0; c < 3; c++) {
        const topLeft = image.data[(y0 * inSide + x0) * 3 + c];
        const topRight = image.data[(y0 * inSide + x1) * 3 + c];
        const bottomLeft = image.data[(y1 * inSide + x0) * 3 + c];
        const bottomRight = image.data[(y1 * inSide + x1) * 3 + c];
        const top = topLeft + (topRight - topLeft) * dx;
        const bottom = bottomLeft + (bottomRight - bottomLeft) * dx;
        rgb[c] = top + (bottom - top) * dy;
      }
      const pixel = outY * outSide + outX;
      if (spec.channels === 1) {
        out[pixel] = scaleToUnitRange(LUMA_WEIGHTS[0] * rgb[0] + LUMA_WEIGHTS[1] * rgb[1] + LUMA_WEIGHTS[2] * rgb[2]);
      } else {
        out[pixel * 3] = scaleToUnitRange(rgb[0]);
        out[pixel * 3 + 1] = scaleToUnitRange(rgb[1]);
        out[pixel * 3 + 2] = scaleToUnitRange(rgb[2]);
      }
    }
  }
  return out;
}

/** Decodes an image file and returns the model input for `spec` ([size, size, channels], float32). */
export async function loadImageInput(file: string, spec: InputSpec): Promise<Float32Array> {
  const square = await decodeCenterSquare(file, spec.size * PRESHRINK_FACTOR);
  return preprocessSquare(square, spec);
}
