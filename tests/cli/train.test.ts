import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../models/backend.js';
import { loadClassifier } from '../../models/classifier/load.js';
import { testDataDir } from '../../models/paths.js';
import { openProject } from '../../models/project/project.js';
import { importFolder } from '../../models/project/import-folder.js';
import { lastJsonLine, runCli } from './run-cli.js';

const gestures = path.join(testDataDir(), 'gestures', 'sign-language-digits');
const CLASSES = ['0', '1', '2'];
const PHOTOS_PER_CLASS = 12;
let scratch: string;
let photos: string;
let model: string;

describe('cli train', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    scratch = await mkdtemp(path.join(os.tmpdir(), 'edge-trainer-train-'));
    // A small real subset keeps the suite fast: 12 hand-sign photos of each of 3 classes.
    photos = path.join(scratch, 'photos');
    for (const label of CLASSES) {
      await mkdir(path.join(photos, label), { recursive: true });
      const files = (await readdir(path.join(gestures, label))).sort().slice(0, PHOTOS_PER_CLASS);
      for (const file of files) await symlink(path.join(gestures, label, file), path.join(photos, label, file));
    }
    model = path.join(scratch, 'model');
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('train --json on a class folder', () => {
    const run = runCli(['train', photos, '--out', model, '--epochs', '10', '--seed', '7', '--json']);
    expect(run.status).toBe(0);
    const result = lastJsonLine(run.stdout);
    expect(result.classes).toEqual(CLASSES);
    expect(result.trainAccuracy).toBeGreaterThan(0.8);
    expect(result.valAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.validationCount).toBe(6);
    expect(run.stderr).toContain('Backend: wasm');
  });

  it('train writes model and reports', async () => {
    expect((await readdir(model)).sort()).toEqual(['metadata.json', 'model.json', 'report.json', 'report.svg', 'report.txt', 'weights.bin']);
    const report = JSON.parse(await readFile(path.join(model, 'report.json'), 'utf8')) as { settings: { epochs: number; seed: number } };
    expect(report.settings.epochs).toBe(10);
    expect(report.settings.seed).toBe(7);
    expect(await readFile(path.join(model, 'report.svg'), 'utf8')).toContain('<svg');
  });

  it('trained model loads as ours', async () => {
    const classifier = await loadClassifier(model);
    expect(classifier.source).toBe('edge-trainer');
    expect(classifier.baseId).toBe('mobilenet-v2-224');
    expect(classifier.labels).toEqual(CLASSES);
    classifier.model.dispose();
  });

  it('trained model predicts and evaluates', () => {
    const predict = runCli(['predict', model, path.join(gestures, '2', 'IMG_1181.JPG'), '--json']);
    expect(predict.status).toBe(0);
    expect((lastJsonLine(predict.stdout).predictions as unknown[]).length).toBe(1);
    const evaluation = runCli(['eval', model, photos, '--json']);
    expect(evaluation.status).toBe(0);
    expect(lastJsonLine(evaluation.stdout).accuracy).toBeGreaterThan(0.8);
  });

  it('train on 96 gray base', () => {
    const out = path.join(scratch, 'gray');
    const run = runCli(['train', photos, '--out', out, '--base', 'mobilenet-v1-96-gray', '--epochs', '5', '--json']);
    expect(run.status).toBe(0);
    expect(lastJsonLine(run.stdout).baseId).toBe('mobilenet-v1-96-gray');
  });

  it('train a project records a version', async () => {
    const projectDir = path.join(scratch, 'project');
    await importFolder(photos, projectDir);
    const run = runCli(['train', projectDir, '--epochs', '3', '--json']);
    expect(run.status).toBe(0);
    expect(lastJsonLine(run.stdout).out).toBe(path.join(projectDir, 'models', 'v1'));
    const project = await openProject(projectDir);
    expect(project.models.map((entry) => entry.version)).toEqual([1]);
  });

  it('train a folder without --out exits 2', () => {
    const run = runCli(['train', photos]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--out');
  });

  it('train without bases exits 4', () => {
    const run = runCli(['train', photos, '--out', path.join(scratch, 'no-base')], { EDGE_TRAINER_MODELS: path.join(scratch, 'no-models') });
    expect(run.status).toBe(4);
    expect(run.stderr).toContain('models:install');
  });

  it('train on a missing folder exits 3', () => {
    const run = runCli(['train', path.join(scratch, 'absent'), '--out', path.join(scratch, 'absent-model')]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('absent');
  });

  it('train with a bad epoch count exits 2', () => {
    expect(runCli(['train', photos, '--out', model, '--epochs', 'many']).status).toBe(2);
  });
});
