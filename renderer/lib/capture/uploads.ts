// Turns files the person picked or dropped into uploads for the engine side.

import type { FileUpload } from '../../../electron/api/types.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png|webp|bmp|gif|tiff?|avif)$/i;

export function isImageFile(file: File): boolean {
  return file.type.startsWith('image/') || IMAGE_EXTENSIONS.test(file.name);
}

export async function filesToUploads(files: readonly File[]): Promise<FileUpload[]> {
  return Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
}
