import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../../../models/paths.js';
import { lastJsonLine, runCli } from '../../cli/run-cli.js';
import { checkOnnxFile } from '../../inference/fixtures.js';

const TINY = () => path.join(testDataDir(), 'tm-exports/tiny-image-1');

describe('edge-trainer export --format onnx', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'edge-trainer-onnx-cli-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('TM tiny export writes model and labels', async () => {
    const out = path.join(workDir, 'out', 'tiny.onnx');
    const run = runCli(['export', TINY(), '--format', 'onnx', '--out', out, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ONNX model \(float32, opset 13\): [\d.]+ KB/);
    expect(run.stderr).toMatch(/Same class probabilities as TensorFlow.js/);
    const result = lastJsonLine(run.stdout);
    const labels = JSON.parse(await readFile(path.join(TINY(), 'metadata.json'), 'utf8')).labels as string[];
    expect(result.labels).toEqual(labels);
    expect(result.maxDifferenceFromTfjs as number).toBeLessThan(1e-4);
    expect(await readFile(path.join(workDir, 'out', 'labels.txt'), 'utf8')).toBe(labels.map((label, index) => `${index} ${label}\n`).join(''));
    expect(await checkOnnxFile(out)).toBe('ok');

    const session = await ort.InferenceSession.create(out);
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['probabilities']);
    await session.release();
  });

  it('zh-TW output names the format', () => {
    const run = runCli(['export', TINY(), '--format', 'onnx', '--out', path.join(workDir, 'zh', 'tiny.onnx')], { LANG: 'zh_TW.UTF-8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ONNX 模型（float32，opset 13）/);
  });

  it('int8 variant exits 2', () => {
    const run = runCli(['export', TINY(), '--format', 'onnx', '--variant', 'int8', '--out', path.join(workDir, 'int8.onnx')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/float32/);
  });

  it('missing model folder exits nonzero', () => {
    const missing = path.join(workDir, 'no-such-model');
    const run = runCli(['export', missing, '--format', 'onnx', '--out', path.join(workDir, 'x.onnx')]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(missing);
  });
});
