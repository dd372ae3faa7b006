import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INT32_MAX, multiplyByQuantizedMultiplier, quantizeMultiplier } from '../../models/quantization/fixed-point.js';
import { expOnNegativeValues, getReciprocal } from '../../models/quantization/softmax-fixed-point.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const VECTOR_FILE = path.join(HERE, 'multiply-by-quantized-multiplier.vectors');
const KERNEL_DIR = path.join(HERE, '../../models/exporters/c99/kernels');

function readVectors(): number[][] {
  return readFileSync(VECTOR_FILE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/).map(Number));
}

describe('MultiplyByQuantizedMultiplier', () => {
  it('TS matches the shared vectors', () => {
    const mismatches = readVectors().filter(([x, multiplier, shift, expected]) => multiplyByQuantizedMultiplier(x, multiplier, shift) !== expected);
    expect(mismatches).toEqual([]);
  });

  it('C matches the shared vectors', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'et-mbqm-'));
    const program = path.join(dir, 'check');
    execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O2', '-I', KERNEL_DIR, path.join(HERE, 'multiply_by_quantized_multiplier_check.c'), '-o', program]);
    const rows = Number(execFileSync(program, [VECTOR_FILE], { encoding: 'utf8' }).trim());
    expect(rows).toBe(readVectors().length);
  });

  it('ties: +0.5 rounds up, -0.5 rounds to zero', () => {
    expect(multiplyByQuantizedMultiplier(1, 1 << 30, 0)).toBe(1);
    expect(multiplyByQuantizedMultiplier(-1, 1 << 30, 0)).toBe(0);
  });
});

describe('quantizeMultiplier', () => {
  it('0.5 is 2^30 with shift 0', () => {
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
  });

  it('1.0 is 2^30 with shift 1', () => {
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  it('rounding up to 2^31 renormalizes', () => {
    // 1 - 2^-40 has fraction 0.99999..., which rounds to 2^31 in Q0.31 and becomes 2^30 * 2^1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
  });

  it('below 2^-31 flushes to zero', () => {
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('zero stays zero', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
  });

  it('negative multiplier throws', () => {
    expect(() => quantizeMultiplier(-1)).toThrow(RangeError);
  });
});

describe('softmax fixed point', () => {
  it('exp(0) is the Q0.31 maximum', () => {
    expect(expOnNegativeValues(0, 5)).toBe(INT32_MAX);
  });

  it('exp of Q5.26 values is within 1e-6 of Math.exp', () => {
    for (const real of [-0.1, -0.25, -1, -2.5, -7, -15.9]) {
      const raw = Math.round(real * 2 ** 26);
      expect(Math.abs(expOnNegativeValues(raw, 5) / 2 ** 31 - Math.exp(raw / 2 ** 26))).toBeLessThan(1e-6);
    }
  });

  it('reciprocal of 3.0 in Q12.19 is 1/3', () => {
    const { reciprocal, numBitsOverUnit } = getReciprocal(3 * 2 ** 19, 12);
    expect(Math.abs((reciprocal / 2 ** 31) * 2 ** -numBitsOverUnit - 1 / 3)).toBeLessThan(1e-8);
  });
});
