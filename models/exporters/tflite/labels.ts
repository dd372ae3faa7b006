// labels.txt as Teachable Machine writes it beside its TFLite and Keras exports: one class a
// line, "index label" ("0 Thumbs Up"). Files with bare labels, one a line, are read too.

import { readFile } from 'node:fs/promises';
import { EdgeTrainerError } from '../../errors.js';

export const LABELS_FILE = 'labels.txt';

export function formatLabelsTxt(labels: readonly string[]): string {
  return labels.map((label, index) => `${index} ${label}\n`).join('');
}

/**
 * Parses labels.txt text. The "index " prefix is removed only when every line has its own index.
 * A UTF-8 byte order mark, as some Windows editors write, is skipped.
 */
export function parseLabelsTxt(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.trim() !== '');
  const indexed = lines.every((line, index) => line.startsWith(`${index} `));
  return lines.map((line, index) => (indexed ? line.slice(`${index} `.length) : line).trim());
}

/** Reads a labels.txt file; a missing or empty file is an error naming it. */
export async function readLabelsTxt(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EdgeTrainerError('not_found', `Cannot read the labels file ${file}.`, {
      path: file,
      hint: 'Keep the labels.txt written by the export next to the .tflite file.',
      cause: error,
    });
  }
  const labels = parseLabelsTxt(text);
  if (labels.length === 0) throw new EdgeTrainerError('invalid_input', `The labels file ${file} lists no label.`, { path: file, hint: 'Write one class name a line.' });
  return labels;
}
