// Writes a Y4M video (4:2:0, I420 plane order) from one photo, for Chromium's fake webcam
// (--use-file-for-fake-video-capture). Each frame shifts the photo by a few pixels and adds noise,
// so recorded samples differ the way webcam frames of a steady hand do.

import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { createRandom } from '../../models/training/random.js';

export interface Y4mOptions {
  width: number;
  height: number;
  frames: number;
  fps: number;
  /** Side of the photo inside the frame, in pixels. */
  photoSide: number;
  /** Largest shift of the photo from the centre, in pixels, each axis. */
  maxShift: number;
  /** Largest noise added to each luma sample, in 8-bit levels. */
  noise: number;
  seed: number;
}

const clampByte = (value: number) => Math.max(0, Math.min(255, Math.round(value)));

export async function writeY4mFromPhoto(photo: string, out: string, options: Y4mOptions): Promise<void> {
  const { width, height, photoSide } = options;
  const { data } = await sharp(photo).rotate().resize(photoSide, photoSide, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const random = createRandom(options.seed);
  const chunks: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${options.fps}:1 Ip A1:1 C420jpeg\n`)];
  const lumaSize = width * height;
  const chromaWidth = width / 2;
  const chromaSize = chromaWidth * (height / 2);

  for (let frame = 0; frame < options.frames; frame++) {
    const shiftX = Math.round((random() * 2 - 1) * options.maxShift);
    const shiftY = Math.round((random() * 2 - 1) * options.maxShift);
    const left = Math.floor((width - photoSide) / 2) + shiftX;
    const top = Math.floor((height - photoSide) / 2) + shiftY;
    // RGB frame: a mid-grey background with the photo pasted in.
    const rgb = new Uint8Array(lumaSize * 3).fill(128);
    for (let y = 0; y < photoSide; y++) {
      const frameY = top + y;
      if (frameY < 0 || frameY >= height) continue;
      for (let x = 0; x < photoSide; x++) {
        const frameX = left + x;
        if (frameX < 0 || frameX >= width) continue;
        const from = (y * photoSide + x) * 3;
        const to = (frameY * width + frameX) * 3;
        rgb[to] = data[from];
        rgb[to + 1] = data[from + 1];
        rgb[to + 2] = data[from + 2];
      }
    }
    // Full-range BT.601 (JFIF) conversion, matching the C420jpeg tag.
    const planes = Buffer.alloc(lumaSize + chromaSize * 2);
    for (let pixel = 0; pixel < lumaSize; pixel++) {
      const r = rgb[pixel * 3];
      const g = rgb[pixel * 3 + 1];
      const b = rgb[pixel * 3 + 2];
      planes[pixel] = clampByte(0.299 * r + 0.587 * g + 0.114 * b + (random() * 2 - 1) * options.noise);
    }
    for (let cy = 0; cy < height / 2; cy++) {
      for (let cx = 0; cx < chromaWidth; cx++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          const pixel = (cy * 2 + dy) * width + cx * 2 + dx;
          r += rgb[pixel * 3];
          g += rgb[pixel * 3 + 1];
          b += rgb[pixel * 3 + 2];
        }
        r /= 4;
        g /= 4;
        b /= 4;
        planes[lumaSize + cy * chromaWidth + cx] = clampByte(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        planes[lumaSize + chromaSize + cy * chromaWidth + cx] = clampByte(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
      }
    }
    chunks.push(Buffer.from('FRAME\n'), planes);
  }
  await writeFile(out, Buffer.concat(chunks));
}
