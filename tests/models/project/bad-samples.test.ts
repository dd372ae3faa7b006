import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeTrainerError } from '../../../models/errors.js';
import { loadImageInput } from '../../../models/images/preprocess.js';
import { type Project, addClass, addSamples, createProject } from '../../../models/project/index.js';
import { trainClassifier } from '../../../models/training/train.js';
import { TEST_CACHE_DIR, digitFiles } from '../training/digits.js';
import { snapshotDir, temporaryDir, writeEmptyFile, writeLargeJpeg, writeTextAsJpeg, writeTruncatedPng } from './fixtures.js';

async function newProject(): Promise<Project> {
  return createProject(path.join(await temporaryDir(), 'project'), { base: 'mobilenet-v1-96-gray' });
}

/** Adds one bad file to a fresh project and returns the reason it was skipped. */
async function rejectedReason(makeFile: (dir: string) => Promise<string>): Promise<{ reason: string; file: string; unchanged: boolean }> {
  const project = await newProject();
  const added = await addClass(project, 'hand');
  const file = await makeFile(await temporaryDir());
  const before = await snapshotDir(project.dir);
  const result = await addSamples(project, added.id, [file]);
  expect(result.added).toEqual([]);
  expect(result.skipped).toHaveLength(1);
  return { reason: result.skipped[0].reason, file, unchanged: JSON.stringify(await snapshotDir(project.dir)) === JSON.stringify(before) };
}

async function trainingError(project: Project): Promise<EdgeTrainerError> {
  try {
    await trainClassifier(project, { epochs: 1 });
  } catch (error) {
    if (error instanceof EdgeTrainerError) return error;
    throw error;
  }
  throw new Error('expected training to fail');
}

describe('bad samples', () => {
  it('0-byte file is rejected', async () => {
    const { reason, file, unchanged } = await rejectedReason((dir) => writeEmptyFile(dir));
    expect(reason).toContain(file);
    expect(reason).toContain('empty (0 bytes)');
    expect(unchanged).toBe(true);
  });

  it('text file named .jpg is rejected', async () => {
    const { reason, file, unchanged } = await rejectedReason((dir) => writeTextAsJpeg(dir));
    expect(reason).toContain(file);
    expect(reason).toContain('not a supported image format');
    expect(unchanged).toBe(true);
  });

  it('truncated PNG is rejected', async () => {
    const { reason, file, unchanged } = await rejectedReason((dir) => writeTruncatedPng(dir));
    expect(reason).toContain(file);
    expect(reason).toContain('truncated or corrupt');
    expect(unchanged).toBe(true);
  });

  it('wrong extension is rejected', async () => {
    const { reason, unchanged } = await rejectedReason(async (dir) => {
      const file = path.join(dir, 'clip.wav');
      await writeFile(file, 'RIFF');
      return file;
    });
    expect(reason).toContain('image samples must be');
    expect(unchanged).toBe(true);
  });

  it('8000x8000 image decodes in bounded memory', async () => {
    const file = await writeLargeJpeg(await temporaryDir(), 8000);
    const project = await newProject();
    const added = await addClass(project, 'big');
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 5);
    try {
      const result = await addSamples(project, added.id, [file]);
      expect(result.added).toHaveLength(1);
      const input = await loadImageInput(file, { size: 224, channels: 3 });
      expect(input).toHaveLength(224 * 224 * 3);
    } finally {
      clearInterval(sampler);
    }
    expect(peakRss).toBeLessThan(1024 ** 3);
  });
});

describe('training refusals', () => {
  it('empty class is rejected', async () => {
    const project = await newProject();
    const hand = await addClass(project, 'hand');
    await addClass(project, 'nothing');
    await addSamples(project, hand.id, digitFiles('0').slice(0, 2));
    const before = await snapshotDir(project.dir);
    const error = await trainingError(project);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('Class "nothing" has no samples');
    expect(await snapshotDir(project.dir)).toEqual(before);
  });

  it('single class is rejected', async () => {
    const project = await newProject();
    const hand = await addClass(project, 'hand');
    await addSamples(project, hand.id, digitFiles('0').slice(0, 2));
    const before = await snapshotDir(project.dir);
    const error = await trainingError(project);
    expect(error.message).toContain('at least 2 classes with samples');
    expect(await snapshotDir(project.dir)).toEqual(before);
  });

  it('project without classes is rejected', async () => {
    const project = await newProject();
    const error = await trainingError(project);
    expect(error.message).toContain('at least 2 classes with samples');
  });

  it('corrupted sample file is skipped', async () => {
    const project = await newProject();
    const zero = await addClass(project, 'zero');
    const one = await addClass(project, 'one');
    await addSamples(project, zero.id, digitFiles('0').slice(0, 4));
    const { added } = await addSamples(project, one.id, digitFiles('1').slice(0, 4));
    const broken = path.join(project.dir, added[0].file);
    await writeFile(broken, 'overwritten by a text editor');
    const result = await trainClassifier(project, { epochs: 2, seed: 1, validationFraction: 0, cacheDir: TEST_CACHE_DIR });
    expect(result.report.skipped.map((item) => item.source)).toEqual([broken]);
    expect(result.report.split.trainCount).toBe(7);
    result.head.dispose();
  });
});
