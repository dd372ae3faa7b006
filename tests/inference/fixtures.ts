// Shared inputs of the ONNX and inference suites: the gesture photos, batched preprocessing, the
// python3-onnx checker and a float comparison that reports the worst element.

import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { type InputSpec, loadImageInput } from '../../models/images/preprocess.js';
import { testDataDir } from '../../models/paths.js';

const GESTURES = 'gestures/sign-language-digits';

/** Lists the gesture photos sorted by class folder then name, keeping every n-th one. */
export function gesturePhotos(every = 1): string[] {
  const root = path.join(testDataDir(), GESTURES);
  const classes = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const files = classes.flatMap((name) => readdirSync(path.join(root, name)).sort().map((file) => path.join(root, name, file)));
  return files.filter((_file, index) => index % every === 0);
}

/** Preprocesses `files` into one [files.length, size, size, channels] float32 array. */
export async function loadBatch(files: string[], spec: InputSpec): Promise<Float32Array> {
  const imageLength = spec.size * spec.size * spec.channels;
  const batch = new Float32Array(files.length * imageLength);
  for (const [index, file] of files.entries()) batch.set(await loadImageInput(file, spec), index * imageLength);
  return batch;
}

export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let index = 0; index < actual.length; index++) max = Math.max(max, Math.abs(actual[index] - expected[index]));
  return max;
}

const run = promisify(execFile);
const CHECKER = 'import onnx, sys\nonnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)\nprint("ok")';

/** Runs onnx.checker.check_model with shape inference (Debian python3-onnx) and returns its output. */
export async function checkOnnxFile(file: string): Promise<string> {
  const { stdout } = await run('/usr/bin/python3', ['-c', CHECKER, file]);
  return stdout.trim();
}
