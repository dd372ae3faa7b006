import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addClass, addModelVersion, createProject, importFolder, isModelStale } from '../../../models/project/index.js';
import { trainClassifier } from '../../../models/training/train.js';
import { temporaryDir } from '../project/fixtures.js';
import { digitFiles } from './digits.js';

/** Builds a dataset folder of 3 classes, each with 4 capture sessions of 3 photos. */
async function sessionFolder(): Promise<string> {
  const source = await temporaryDir();
  for (const label of ['0', '1', '2']) {
    const files = digitFiles(label).slice(0, 12);
    for (const [index, file] of files.entries()) {
      const session = path.join(source, label, `session-${Math.floor(index / 3)}`);
      await mkdir(session, { recursive: true });
      await copyFile(file, path.join(session, path.basename(file)));
    }
  }
  return source;
}

describe('project training', () => {
  it('trains, caches and records a version', async () => {
    const { project } = await importFolder(await sessionFolder(), path.join(await temporaryDir(), 'project'), { base: 'mobilenet-v1-96-gray' });
    const first = await trainClassifier(project, { seed: 4, epochs: 5 });
    expect(first.report.split.method).toBe('session');
    expect(first.report.embeddings.cached).toBe(0);
    expect(await readdir(path.join(project.dir, 'cache', 'embeddings'))).toEqual(['mobilenet-v1-96-gray']);

    const second = await trainClassifier(project, { seed: 4, epochs: 5 });
    expect(second.report.embeddings).toEqual({ computed: 0, cached: 36 });

    const entry = await addModelVersion(project, {
      trainedOn: second.trainedOn,
      metrics: { valAccuracy: second.evaluation!.accuracy },
      write: async (dir) => writeFile(path.join(dir, 'report.json'), JSON.stringify(second.report)),
    });
    expect(isModelStale(project, entry.version)).toBe(false);
    first.head.dispose();
    second.head.dispose();
  });

  it('validation keeps sessions whole', async () => {
    const { project } = await importFolder(await sessionFolder(), path.join(await temporaryDir(), 'project'), { base: 'mobilenet-v1-96-gray' });
    const result = await trainClassifier(project, { seed: 8, epochs: 1 });
    // Session folder names repeat across classes, so a session is identified with its class.
    const sessionKey = (sample: { classId: string; session?: string }) => `${sample.classId}/${sample.session}`;
    const sessionOf = (file: string) => sessionKey(project.samples.find((sample) => path.join(project.dir, sample.file) === file)!);
    const validationSessions = result.report.split.validationSources.map(sessionOf);
    // ceil(0.15 x 12) = 2 photos, so one whole session of 3 per class.
    expect(result.report.split.validationCount).toBe(9);
    expect(new Set(validationSessions).size).toBe(3);
    for (const session of new Set(validationSessions)) {
      const sessionSize = project.samples.filter((sample) => sessionKey(sample) === session).length;
      expect(validationSessions.filter((item) => item === session), session).toHaveLength(sessionSize);
    }
    result.head.dispose();
  });

  it('invalid stored knob names project.json', async () => {
    const project = await createProject(path.join(await temporaryDir(), 'p'), { training: { epochs: 0 } });
    const error = await trainClassifier(project).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid_input', path: path.join(project.dir, 'project.json') });
    expect((error as Error).message).toContain('epochs');
  });

  it('audio project is rejected', async () => {
    const project = await createProject(path.join(await temporaryDir(), 'sounds'), { kind: 'audio' });
    await addClass(project, 'clap');
    await expect(trainClassifier(project)).rejects.toMatchObject({ code: 'unsupported' });
  });
});
