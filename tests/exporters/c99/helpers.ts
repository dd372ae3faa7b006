// Shared steps of the C export suites: export a model into a temporary folder, build its host
// runner with strict warnings, and run it on raw inputs.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBoard } from '../../../models/exporters/c99/boards.js';
import { exportC99, type C99ExportOptions, type C99ExportResult } from '../../../models/exporters/c99/export.js';
import { testDataDir } from '../../../models/paths.js';
import type { TensorArray } from '../../../models/reference/tensors.js';

export const STRICT_CFLAGS = '-std=c99 -Wall -Wextra -Werror -O2';

const ARDUINO_STUB = path.join(path.dirname(fileURLToPath(import.meta.url)), 'arduino-stub');

export function referenceModel(relative: string): string {
  return path.join(testDataDir(), 'tflite-reference', relative);
}

export interface BuiltPackage {
  dir: string;
  result: C99ExportResult;
  /** Runs ./run_model on one input; returns the printed output values and the trailing sizes. */
  run(input: TensorArray, runner?: string[]): { values: number[]; arenaBytes: number; flashBytes: number };
}

export async function exportAndBuild(file: string, options: Partial<C99ExportOptions> = {}, cflags = STRICT_CFLAGS): Promise<BuiltPackage> {
  const dir = mkdtempSync(path.join(tmpdir(), 'et-c99-'));
  const bytes = readFileSync(file);
  const result = await exportC99(bytes, file, { outDir: dir, board: resolveBoard('esp32s3'), allowOversize: true, ...options });
  execFileSync('make', ['-s', '-C', dir, 'host', `CFLAGS=${cflags}`], { stdio: 'pipe' });
  let count = 0;
  return {
    dir,
    result,
    run(input, runner = []) {
      const inputFile = path.join(dir, `input-${count++}.bin`);
      writeFileSync(inputFile, new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
      const command = [...runner, path.join(dir, 'run_model'), inputFile];
      const lines = execFileSync(command[0], command.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n');
      const arena = lines.find((line) => line.startsWith('arena_bytes '));
      const flash = lines.find((line) => line.startsWith('flash_bytes '));
      return {
        values: lines.filter((line) => !line.includes('_bytes ')).map(Number),
        arenaBytes: Number(arena?.split(' ')[1]),
        flashBytes: Number(flash?.split(' ')[1]),
      };
    },
  };
}

/** Deterministic pseudo-random int8 or uint8 values. */
export function randomInput(length: number, seed: number, signed = true): Int8Array | Uint8Array {
  const out = signed ? new Int8Array(length) : new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state >>> 24) - (signed ? 128 : 0);
  }
  return out;
}

export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) max = Math.max(max, Math.abs((a[i] ?? NaN) - (b[i] ?? NaN)));
  return max;
}

/**
 * Compiles the example sketch of an exported Arduino library for the host, with a stub for the
 * Arduino calls: src/*.c as C99 and the sketch as C++11, all with strict warnings. Returns the program.
 */
export function buildArduinoExample(libraryDir: string, example = 'Classify'): string {
  const src = path.join(libraryDir, 'src');
  const objects = readdirSync(src)
    .filter((file) => file.endsWith('.c'))
    .map((file) => {
      const object = path.join(libraryDir, `${file}.o`);
      execFileSync('gcc', [...STRICT_CFLAGS.split(' '), '-I', src, '-c', path.join(src, file), '-o', object]);
      return object;
    });
  const program = path.join(libraryDir, example.toLowerCase());
  const sketch = path.join(libraryDir, 'examples', example, `${example}.ino`);
  execFileSync('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-O2', '-I', ARDUINO_STUB, '-I', src, '-include', 'Arduino.h', '-x', 'c++', sketch, '-x', 'none', path.join(ARDUINO_STUB, 'main.cpp'), ...objects, '-o', program, '-lm']);
  return program;
}
