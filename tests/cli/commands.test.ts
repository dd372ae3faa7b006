import { cp, mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../../models/paths.js';
import { lastJsonLine, runCli } from './run-cli.js';

const tmExports = path.join(testDataDir(), 'tm-exports');
const gestures = path.join(testDataDir(), 'gestures', 'sign-language-digits');
const samples = path.join(tmExports, 'image-1', 'samples');
let scratch: string;

interface PredictRow {
  file: string;
  label?: string;
  probabilities?: Record<string, number>;
  error?: { code: string; message: string };
}

describe('cli commands', () => {
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-cli-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('info --json on a TM export', () => {
    const run = runCli(['info', path.join(tmExports, 'image-1'), '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout);
    expect(result.labels).toEqual(['Thumbs Up', 'Peace', 'Korean Heart', 'Closed Fist', 'Open Palm']);
    expect(result.input).toEqual({ size: 224, channels: 3 });
    expect(result.baseId).toBe('mobilenet-v2-224');
    expect(result.source).toBe('teachable-machine');
  });

  it('info on a tiny grayscale export', () => {
    const result = lastJsonLine(runCli(['info', path.join(tmExports, 'tiny-image-1'), '--json']).stdout);
    expect(result.input).toEqual({ size: 96, channels: 1 });
    expect(result.baseId).toBe('mobilenet-v1-96-gray');
  });

  it('info prints the backend', () => {
    const run = runCli(['info', path.join(tmExports, 'image-2'), '--backend', 'cpu']);
    expect(run.stderr).toContain('Backend: cpu');
  });

  it('info on an audio export exits 3', () => {
    const run = runCli(['info', path.join(tmExports, 'audio-1')]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('not an image model');
  });

  it('predict --json, one row per image', () => {
    const run = runCli(['predict', path.join(tmExports, 'image-1'), samples, '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout) as { labels: string[]; predictions: PredictRow[] };
    expect(result.predictions).toHaveLength(5);
    for (const row of result.predictions) {
      expect(result.labels).toContain(row.label);
      expect(Object.values(row.probabilities!).reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 4);
    }
  });

  it('predict names a corrupt image and exits 3', async () => {
    const broken = path.join(scratch, 'broken.jpg');
    await writeFile(broken, 'this is not a JPEG');
    const good = path.join(gestures, '0', 'IMG_1118.JPG');
    const run = runCli(['predict', path.join(tmExports, 'image-2'), good, broken, '--json']);
    expect(run.status).toBe(3);
    const rows = (lastJsonLine(run.stdout) as { predictions: PredictRow[] }).predictions;
    expect(rows[0].label).toBeDefined();
    expect(rows[1].error?.message).toContain(broken);
    expect(run.stderr).toContain(broken);
  });

  it('predict on a missing model exits 3', () => {
    const run = runCli(['predict', path.join(scratch, 'no-such-model'), samples]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('no-such-model');
  });

  it('predict on truncated weights exits 3', async () => {
    const dir = path.join(scratch, 'truncated');
    await cp(path.join(tmExports, 'image-2'), dir, { recursive: true });
    await truncate(path.join(dir, 'weights.bin'), 1000);
    const run = runCli(['predict', dir, samples, '--json']);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(path.join(dir, 'model.json'));
    expect((lastJsonLine(run.stdout).error as { code: string }).code).toBe('corrupt_model');
  });

  it('predict on broken metadata exits 3', async () => {
    const dir = path.join(scratch, 'bad-metadata');
    await cp(path.join(tmExports, 'image-2'), dir, { recursive: true });
    await writeFile(path.join(dir, 'metadata.json'), '{"labels": ');
    const run = runCli(['predict', dir, samples]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(path.join(dir, 'metadata.json'));
  });

  it('predict with an unknown backend exits 2', () => {
    expect(runCli(['predict', path.join(tmExports, 'image-1'), samples, '--backend', 'gpu']).status).toBe(2);
  });

  it('predict with batch size 0 exits 2', () => {
    expect(runCli(['predict', path.join(tmExports, 'image-1'), samples, '--batch-size', '0']).status).toBe(2);
  });

  it('eval --json on class folders', async () => {
    const testSet = path.join(scratch, 'eval-set');
    await mkdir(testSet);
    await symlink(path.join(gestures, '0'), path.join(testSet, 'Class 1'));
    await symlink(path.join(gestures, '5'), path.join(testSet, 'class 2'));
    const run = runCli(['eval', path.join(tmExports, 'tiny-image-official'), testSet, '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout) as { accuracy: number; count: number; confusion: number[][]; perClass: { label: string; count: number }[] };
    expect(result.count).toBe(120);
    expect(result.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.accuracy).toBeLessThanOrEqual(1);
    expect(result.perClass.find((entry) => entry.label === 'Class 2')?.count).toBe(60);
    expect(result.confusion.flat().reduce((sum, value) => sum + value, 0)).toBe(120);
  });

  it('eval with an unknown class folder exits 3', () => {
    const run = runCli(['eval', path.join(tmExports, 'tiny-image-official'), gestures]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('matches no class');
  });
});
