import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDataDir } from '../../models/paths.js';
import { runCli } from './run-cli.js';

// An export written into a trained model's folder would replace the model's model.json (TFLite's
// FILE.json report) or its training report.json (the C package), so both are rejected, and so is a
// folder directly inside the model folder, where the export's files would mix with the model's.
describe('export into a model folder', () => {
  let workDir: string;
  let modelDir: string;
  let modelJsonBefore: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-guard-'));
    modelDir = path.join(workDir, 'model');
    await cp(path.join(testDataDir(), 'tm-exports', 'image-1'), modelDir, { recursive: true });
    await writeFile(path.join(modelDir, 'report.json'), '{"trainAccuracy": 1}\n');
    modelJsonBefore = await readFile(path.join(modelDir, 'model.json'), 'utf8');
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('tflite export is rejected', async () => {
    const run = runCli(['export', modelDir, '--format', 'tflite', '--out', path.join(modelDir, 'model.tflite')]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('contains a trained model');
    expect(await readFile(path.join(modelDir, 'model.json'), 'utf8')).toBe(modelJsonBefore);
  });

  it('C export is rejected', async () => {
    const helloWorld = path.join(testDataDir(), 'tflite-reference', 'hello_world', 'hello_world_int8.tflite');
    const run = runCli(['export', helloWorld, '--format', 'c', '--board', 'ESP32', '--out', modelDir]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain('contains a trained model');
    expect(await readFile(path.join(modelDir, 'report.json'), 'utf8')).toBe('{"trainAccuracy": 1}\n');
  });

  it('C export into a folder inside the model is rejected', async () => {
    const helloWorld = path.join(testDataDir(), 'tflite-reference', 'hello_world', 'hello_world_int8.tflite');
    const run = runCli(['export', helloWorld, '--format', 'arduino', '--out', path.join(modelDir, 'board')]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${modelDir}: it contains a trained model`);
    await expect(readFile(path.join(modelDir, 'board', 'library.properties'))).rejects.toThrow();
  });

  it('C export through a symlink into the model is rejected', async () => {
    const helloWorld = path.join(testDataDir(), 'tflite-reference', 'hello_world', 'hello_world_int8.tflite');
    const link = path.join(workDir, 'link-to-model');
    await symlink(modelDir, link);
    const run = runCli(['export', helloWorld, '--format', 'c', '--out', path.join(link, 'board')]);

    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${modelDir}: it contains a trained model`);
  });
});
