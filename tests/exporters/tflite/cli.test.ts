import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../models/backend.js';
import { saveClassifierDir } from '../../../models/classifier/save.js';
import { testDataDir } from '../../../models/paths.js';
import { lastJsonLine, runCli } from '../../cli/run-cli.js';
import { DIGIT_LABELS, trainDigitClassifier } from './fixtures.js';

const DIGITS_DIR = path.join(testDataDir(), 'gestures/sign-language-digits');

describe('edge-trainer export --format tflite', () => {
  let workDir: string;
  let modelDir: string;

  beforeAll(async () => {
    await initBackend('wasm');
    workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-export-cli-'));
    modelDir = path.join(workDir, 'digits-96');
    const classifier = await trainDigitClassifier('mobilenet-v1-96-gray', 'average');
    await saveClassifierDir({ model: classifier.model, labels: DIGIT_LABELS, baseId: 'mobilenet-v1-96-gray' }, modelDir);
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('int8 prints accuracy and writes the bundle', async () => {
    const out = path.join(workDir, 'out', 'digits_int8.tflite');
    const run = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'int8', '--out', out, '--calibration', DIGITS_DIR, '--images-per-class', '4', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Accuracy on 24 held-out photos: float32 [\d.]+%, int8 [\d.]+%/);
    const result = lastJsonLine(run.stdout);
    expect(result.variant).toBe('int8');
    expect(result.strictInteger).toBe(true);
    expect((result.accuracy as { samples: number }).samples).toBe(24);
    expect(existsSync(out)).toBe(true);
    expect(await readFile(path.join(workDir, 'out', 'labels.txt'), 'utf8')).toBe('0 0\n1 1\n2 2\n3 3\n4 4\n5 5\n');
    expect(JSON.parse(await readFile(path.join(workDir, 'out', 'digits_int8.json'), 'utf8')).calibration.samples).toBe(24);
  });

  it('float16 needs no calibration', () => {
    const run = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'float16', '--out', path.join(workDir, 'f16', 'model.tflite')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/float16 model: [\d.]+ KB/);
  });

  it('int8 without calibration exits 2', () => {
    const run = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'int8', '--out', path.join(workDir, 'x.tflite')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/needs calibration images/);
  });

  it('empty calibration folder exits 3', async () => {
    const empty = path.join(workDir, 'empty-calibration');
    await mkdir(path.join(empty, '0'), { recursive: true });
    const run = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'int8', '--out', path.join(workDir, 'y.tflite'), '--calibration', empty]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/No images in the calibration folder/);
  });

  it('unknown variant exits 2', () => {
    const run = runCli(['export', modelDir, '--format', 'tflite', '--variant', 'int4', '--out', path.join(workDir, 'z.tflite')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Invalid --variant "int4"/);
  });
});
