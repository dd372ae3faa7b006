// Reader for uncompressed Windows BMP files (8-bit palette, 24-bit and 32-bit), which libvips
// does not decode. Layout: 14-byte file header, then a BITMAPINFOHEADER or later (>= 40 bytes).

import type { RgbImage } from './decode.js';

const BI_RGB = 0;
const BI_BITFIELDS = 3;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

export function decodeBmp(bytes: Uint8Array): RgbImage {
  if (bytes.length < 54) throw new Error('BMP header is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) throw new Error(`BMP header of ${headerSize} bytes is not supported (expected 40 or more)`);
  const width = view.getInt32(18, true);
  const signedHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const topDown = signedHeight < 0;
  const height = Math.abs(signedHeight);
  if (width <= 0 || height === 0) throw new Error(`BMP size ${width}x${height} is invalid`);
  if (width * height > 100_000_000) throw new Error(`BMP size ${width}x${height} is too large`);
  const supported = (compression === BI_RGB && [8, 24, 32].includes(bitsPerPixel)) || (compression === BI_BITFIELDS && bitsPerPixel === 32);
  if (!supported) throw new Error(`BMP with ${bitsPerPixel} bits per pixel and compression ${compression} is not supported`);

  const rowStride = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (pixelOffset + rowStride * height > bytes.length) throw new Error('BMP pixel data is truncated');

  let palette: Uint8Array | undefined;
  if (bitsPerPixel === 8) {
    const colorsUsed = view.getUint32(46, true) || 256;
    const paletteStart = 14 + headerSize;
    palette = bytes.subarray(paletteStart, paletteStart + colorsUsed * 4);
  }

  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sourceRow = topDown ? y : height - 1 - y;
    const rowStart = pixelOffset + sourceRow * rowStride;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 3;
      if (palette) {
        const entry = bytes[rowStart + x] * 4;
        data[out] = palette[entry + 2];
        data[out + 1] = palette[entry + 1];
        data[out + 2] = palette[entry];
      } else {
        const bytesPerPixel = bitsPerPixel / 8;
        const pixel = rowStart + x * bytesPerPixel;
        // Stored as B, G, R(, A); BI_BITFIELDS files written by common tools use the same order.
        data[out] = bytes[pixel + 2];
        data[out + 1] = bytes[pixel + 1];
        data[out + 2] = bytes[pixel];
      }
    }
  }
  return { width, height, channels: 3, data };
}
