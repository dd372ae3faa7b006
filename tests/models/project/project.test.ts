import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeTrainerError } from '../../../models/errors.js';
import {
  addClass,
  addModelVersion,
  addSamples,
  checkSampleFiles,
  createProject,
  deleteClass,
  deleteSample,
  importFolder,
  isModelStale,
  openProject,
  renameClass,
  reorderClasses,
  saveProject,
} from '../../../models/project/index.js';
import { digitFiles } from '../training/digits.js';
import { snapshotDir, temporaryDir, writeTextAsJpeg } from './fixtures.js';

async function errorOf(promise: Promise<unknown>): Promise<EdgeTrainerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EdgeTrainerError) return error;
    throw error;
  }
  throw new Error('expected an EdgeTrainerError, but the call succeeded');
}

async function projectWithTwoClasses() {
  const project = await createProject(path.join(await temporaryDir(), 'hands'));
  const zero = await addClass(project, 'zero');
  const one = await addClass(project, 'one');
  return { project, zero, one };
}

describe('project file', () => {
  it('create then open round trip', async () => {
    const dir = path.join(await temporaryDir(), 'my project');
    const created = await createProject(dir, { name: '手勢', base: 'mobilenet-v1-96-gray', training: { epochs: 20 } });
    const opened = await openProject(dir);
    expect(opened).toEqual(created);
    expect(opened.settings).toEqual({ base: 'mobilenet-v1-96-gray', training: { epochs: 20 } });
    expect((await stat(path.join(dir, 'samples'))).isDirectory()).toBe(true);
  });

  it('create rejects an existing project', async () => {
    const { project } = await projectWithTwoClasses();
    const before = await snapshotDir(project.dir);
    const error = await errorOf(createProject(project.dir));
    expect(error.code).toBe('invalid_argument');
    expect(error.path).toBe(path.join(project.dir, 'project.json'));
    expect(await snapshotDir(project.dir)).toEqual(before);
  });

  it('create rejects an unknown base', async () => {
    const error = await errorOf(createProject(path.join(await temporaryDir(), 'p'), { base: 'resnet' }));
    expect(error.message).toContain('resnet');
  });

  it('open reports a missing project.json', async () => {
    const dir = await temporaryDir();
    const error = await errorOf(openProject(dir));
    expect(error.code).toBe('not_found');
    expect(error.path).toBe(path.join(dir, 'project.json'));
  });

  it('open leaves invalid JSON untouched', async () => {
    const { project } = await projectWithTwoClasses();
    const file = path.join(project.dir, 'project.json');
    await writeFile(file, '{"formatVersion": 1, "name": "hands", "classes": [');
    const before = await snapshotDir(project.dir);
    const error = await errorOf(openProject(project.dir));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(file);
    expect(error.message).toContain('not valid JSON');
    expect(await snapshotDir(project.dir)).toEqual(before);
  });

  it('open names the invalid field', async () => {
    const { project, zero } = await projectWithTwoClasses();
    await addSamples(project, zero.id, digitFiles('0').slice(0, 1));
    const file = path.join(project.dir, 'project.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.samples[0].sha256 = 'abc';
    await writeFile(file, JSON.stringify(json));
    const before = await snapshotDir(project.dir);
    const error = await errorOf(openProject(project.dir));
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('samples[0].sha256');
    expect(error.path).toBe(file);
    expect(await snapshotDir(project.dir)).toEqual(before);
  });

  it('open rejects a sample of an unknown class', async () => {
    const { project, zero } = await projectWithTwoClasses();
    await addSamples(project, zero.id, digitFiles('0').slice(0, 1));
    const file = path.join(project.dir, 'project.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.samples[0].classId = 'c99';
    await writeFile(file, JSON.stringify(json));
    const error = await errorOf(openProject(project.dir));
    expect(error.message).toContain('samples[0].classId');
  });

  it('open rejects a newer format version', async () => {
    const { project } = await projectWithTwoClasses();
    const file = path.join(project.dir, 'project.json');
    const json = JSON.parse(await readFile(file, 'utf8'));
    json.formatVersion = 2;
    await writeFile(file, JSON.stringify(json));
    const error = await errorOf(openProject(project.dir));
    expect(error.message).toContain('formatVersion');
  });
});

describe('project classes', () => {
  it('addClass assigns stable ids', async () => {
    const { project, zero, one } = await projectWithTwoClasses();
    expect([zero.id, one.id]).toEqual(['c1', 'c2']);
    expect((await openProject(project.dir)).classes).toEqual([zero, one]);
  });

  it('addClass rejects a duplicate name', async () => {
    const { project } = await projectWithTwoClasses();
    const error = await errorOf(addClass(project, ' zero '));
    expect(error.code).toBe('invalid_argument');
    expect(project.classes).toHaveLength(2);
  });

  it('renameClass keeps the id', async () => {
    const { project, zero } = await projectWithTwoClasses();
    await renameClass(project, zero.id, '零');
    expect((await openProject(project.dir)).classes[0]).toEqual({ id: zero.id, name: '零' });
  });

  it('reorderClasses applies a permutation', async () => {
    const { project, zero, one } = await projectWithTwoClasses();
    await reorderClasses(project, [one.id, zero.id]);
    expect((await openProject(project.dir)).classes.map((item) => item.name)).toEqual(['one', 'zero']);
  });

  it('reorderClasses rejects a missing id', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const error = await errorOf(reorderClasses(project, [zero.id]));
    expect(error.code).toBe('invalid_argument');
  });

  it('deleteClass keeps files unless asked', async () => {
    const { project, zero, one } = await projectWithTwoClasses();
    await addSamples(project, zero.id, digitFiles('0').slice(0, 2));
    await addSamples(project, one.id, digitFiles('1').slice(0, 2));
    await deleteClass(project, zero.id);
    const reopened = await openProject(project.dir);
    expect(reopened.classes.map((item) => item.id)).toEqual([one.id]);
    expect(reopened.samples.every((sample) => sample.classId === one.id)).toBe(true);
    expect((await stat(path.join(project.dir, 'samples', zero.id))).isDirectory()).toBe(true);

    await deleteClass(project, one.id, { deleteFiles: true });
    await expect(stat(path.join(project.dir, 'samples', one.id))).rejects.toThrow();
  });
});

describe('project samples', () => {
  it('addSamples copies and hashes files', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const files = digitFiles('0').slice(0, 3);
    const result = await addSamples(project, zero.id, files, { session: 'burst-1' });
    expect(result.skipped).toEqual([]);
    expect(result.added.map((sample) => sample.file)).toEqual(['samples/c1/s1.jpg', 'samples/c1/s2.jpg', 'samples/c1/s3.jpg']);
    expect(result.added.every((sample) => sample.session === 'burst-1')).toBe(true);
    const copied = await readFile(path.join(project.dir, 'samples', 'c1', 's1.jpg'));
    expect(copied.equals(await readFile(files[0]))).toBe(true);
    expect((await openProject(project.dir)).samples).toEqual(result.added);
  });

  it('addSamples skips a duplicate', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const file = digitFiles('0')[0];
    await addSamples(project, zero.id, [file]);
    const result = await addSamples(project, zero.id, [file]);
    expect(result.added).toEqual([]);
    expect(result.skipped[0].reason).toContain('already in this class');
  });

  it('addSamples accepts bytes', async () => {
    const { project, one } = await projectWithTwoClasses();
    const bytes = new Uint8Array(await readFile(digitFiles('1')[0]));
    const result = await addSamples(project, one.id, [{ bytes, name: 'webcam.JPG' }]);
    expect(result.added[0].file).toBe('samples/c2/s1.jpg');
  });

  it('addSamples rejects an unknown class', async () => {
    const { project } = await projectWithTwoClasses();
    const error = await errorOf(addSamples(project, 'c9', digitFiles('0').slice(0, 1)));
    expect(error.code).toBe('not_found');
  });

  it('deleteSample keeps the file unless asked', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const { added } = await addSamples(project, zero.id, digitFiles('0').slice(0, 2));
    await deleteSample(project, added[0].id);
    expect((await stat(path.join(project.dir, added[0].file))).isFile()).toBe(true);
    await deleteSample(project, added[1].id, { deleteFile: true });
    await expect(stat(path.join(project.dir, added[1].file))).rejects.toThrow();
    expect((await openProject(project.dir)).samples).toEqual([]);
  });
});

describe('project sample files', () => {
  it('checkSampleFiles finds missing and changed', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const { added } = await addSamples(project, zero.id, digitFiles('0').slice(0, 3));
    await rm(path.join(project.dir, added[0].file));
    await writeFile(path.join(project.dir, added[1].file), 'edited');
    const check = await checkSampleFiles(project);
    expect(check.missing.map((sample) => sample.id)).toEqual([added[0].id]);
    expect(check.changed.map((sample) => sample.id)).toEqual([added[1].id]);
  });
});

describe('project import', () => {
  it('importFolder skips a broken file', async () => {
    const source = await temporaryDir();
    for (const label of ['a', 'b']) {
      await mkdir(path.join(source, label));
      await copyFile(digitFiles('0')[0], path.join(source, label, 'good.jpg'));
    }
    const broken = await writeTextAsJpeg(path.join(source, 'b'));
    const { project, skipped } = await importFolder(source, path.join(await temporaryDir(), 'imported'));
    expect(skipped.map((item) => item.source)).toEqual([broken]);
    expect(project.samples).toHaveLength(2);
  });

  it('importFolder maps folders to classes and sessions', async () => {
    const source = await temporaryDir();
    for (const label of ['10', '2']) {
      await mkdir(path.join(source, label, 'morning'), { recursive: true });
      const files = digitFiles(label === '10' ? '1' : '2');
      await writeFile(path.join(source, label, 'a.jpg'), await readFile(files[0]));
      await writeFile(path.join(source, label, 'morning', 'b.jpg'), await readFile(files[1]));
      await writeFile(path.join(source, label, 'readme.txt'), 'not a sample');
    }
    const progress: number[] = [];
    const { project, skipped } = await importFolder(source, path.join(await temporaryDir(), 'imported'), { onProgress: (done) => progress.push(done) });
    expect(skipped).toEqual([]);
    expect(project.classes.map((item) => item.name)).toEqual(['2', '10']);
    expect(project.samples.map((sample) => sample.session)).toEqual([undefined, 'morning', undefined, 'morning']);
    expect(progress.at(-1)).toBe(4);
  });

  it('importFolder rejects a folder without classes', async () => {
    const source = await temporaryDir();
    await writeFile(path.join(source, 'photo.jpg'), await readFile(digitFiles('0')[0]));
    const error = await errorOf(importFolder(source, path.join(await temporaryDir(), 'p')));
    expect(error.code).toBe('invalid_input');
  });
});

describe('project model versions', () => {
  it('isModelStale tracks samples and settings', async () => {
    const { project, zero, one } = await projectWithTwoClasses();
    await addSamples(project, zero.id, digitFiles('0').slice(0, 2));
    await addSamples(project, one.id, digitFiles('1').slice(0, 2));
    const entry = await addModelVersion(project, {
      metrics: { valAccuracy: 1 },
      write: async (dir) => writeFile(path.join(dir, 'model.json'), '{}'),
    });
    expect(entry.dir).toBe('models/v1');
    expect(isModelStale(project, 1)).toBe(false);

    await addSamples(project, one.id, digitFiles('1').slice(2, 3));
    expect(isModelStale(project, 1)).toBe(true);

    const second = await addModelVersion(project, { metrics: {}, write: async () => {} });
    expect(second.version).toBe(2);
    project.settings.training = { epochs: 10 };
    await saveProject(project);
    expect(isModelStale(await openProject(project.dir), 2)).toBe(true);
  });

  it('addModelVersion cleans up a failed write', async () => {
    const { project } = await projectWithTwoClasses();
    const before = await snapshotDir(project.dir);
    await expect(addModelVersion(project, { metrics: {}, write: async () => { throw new Error('disk full'); } })).rejects.toThrow('disk full');
    expect(await snapshotDir(project.dir)).toEqual({ ...before, models: 'dir' });
    expect(project.models).toEqual([]);
  });
});

describe('project id reuse', () => {
  it('new sample keeps a deleted file', async () => {
    const { project, zero } = await projectWithTwoClasses();
    const files = digitFiles('0');
    const { added } = await addSamples(project, zero.id, files.slice(0, 2));
    await deleteSample(project, added[1].id);
    const kept = await readFile(path.join(project.dir, added[1].file));
    const second = await addSamples(project, zero.id, files.slice(2, 3));
    expect(second.added[0].file).not.toBe(added[1].file);
    expect((await readFile(path.join(project.dir, added[1].file))).equals(kept)).toBe(true);
  });

  it('new class skips a kept folder', async () => {
    const { project, one } = await projectWithTwoClasses();
    await addSamples(project, one.id, digitFiles('1').slice(0, 1));
    await deleteClass(project, one.id);
    const added = await addClass(project, 'two');
    expect(added.id).toBe('c3');
  });
});
