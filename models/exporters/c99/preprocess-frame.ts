// TS twin of kernels/et_preprocess.c: turns a camera frame (RGB565, 8-bit gray or RGB888) into
// the quantized model input with the shared preprocessing spec of models/images/preprocess.ts.

import { preprocessSquare, type InputSpec } from '../../images/preprocess.js';
import { affineQuantize } from '../../reference/Quantize.js';

export type PixelFormat = 'rgb565' | 'gray8' | 'rgb888';

export interface CameraFrame {
  width: number;
  height: number;
  format: PixelFormat;
  /** rgb565: one uint16 per pixel, red in the high 5 bits; gray8: one byte; rgb888: three bytes. */
  data: Uint16Array | Uint8Array;
}

/** Packs 8-bit RGB pixels into RGB565 by dropping the low bits, as cameras do. */
export function packRgb565(rgb: Uint8Array, width: number, height: number): Uint16Array {
  const out = new Uint16Array(width * height);
  for (let i = 0; i < out.length; i++) {
    out[i] = ((rgb[i * 3] >> 3) << 11) | ((rgb[i * 3 + 1] >> 2) << 5) | (rgb[i * 3 + 2] >> 3);
  }
  return out;
}

function frameToRgb(frame: CameraFrame): Uint8Array {
  const count = frame.width * frame.height;
  const rgb = new Uint8Array(count * 3);
  for (let i = 0; i < count; i++) {
    if (frame.format === 'rgb565') {
      const pixel = frame.data[i];
      const red = (pixel >> 11) & 0x1f;
      const green = (pixel >> 5) & 0x3f;
      const blue = pixel & 0x1f;
      // Bit replication maps 5- and 6-bit values onto 0..255.
      rgb[i * 3] = (red << 3) | (red >> 2);
      rgb[i * 3 + 1] = (green << 2) | (green >> 4);
      rgb[i * 3 + 2] = (blue << 3) | (blue >> 2);
    } else if (frame.format === 'gray8') {
      rgb.fill(frame.data[i], i * 3, i * 3 + 3);
    } else {
      rgb.set(frame.data.subarray(i * 3, i * 3 + 3) as Uint8Array, i * 3);
    }
  }
  return rgb;
}

/** Centre square crop, then the shared preprocessing and quantization; returns int8 or uint8 values. */
export function preprocessFrame(frame: CameraFrame, spec: InputSpec, quantization: { scale: number; zeroPoint: number; signed: boolean }): Int8Array | Uint8Array {
  const rgb = frameToRgb(frame);
  const side = Math.min(frame.width, frame.height);
  const left = Math.floor((frame.width - side) / 2);
  const top = Math.floor((frame.height - side) / 2);
  const square = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    square.set(rgb.subarray(((top + y) * frame.width + left) * 3, ((top + y) * frame.width + left + side) * 3), y * side * 3);
  }
  const real = preprocessSquare({ width: side, height: side, channels: 3, data: square }, spec);
  const [min, max] = quantization.signed ? [-128, 127] : [0, 255];
  const out = quantization.signed ? new Int8Array(real.length) : new Uint8Array(real.length);
  for (let i = 0; i < real.length; i++) out[i] = affineQuantize(real[i], quantization.scale, quantization.zeroPoint, min, max);
  return out;
}
