import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeTrainerError } from '../../../models/errors.js';
import { addClass, checkSampleFile, createProject, importFolder, parseProjectJson } from '../../../models/project/index.js';
import { temporaryDir, writeEmptyFile } from './fixtures.js';

async function thrown(action: () => unknown): Promise<EdgeTrainerError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof EdgeTrainerError) return error;
    throw error;
  }
  throw new Error('expected an EdgeTrainerError');
}

describe('project error keys', () => {
  it('broken JSON', async () => {
    const error = await thrown(() => parseProjectJson('{"version": 1,', '/p/project.json'));
    expect(error.key).toBe('project_json_invalid');
    expect(error.params).toEqual({ file: '/p/project.json' });
  });

  it('invalid field names the field', async () => {
    const error = await thrown(() => parseProjectJson('{"version": 1, "name": 5}', '/p/project.json'));
    expect(error.key).toBe('project_field_invalid');
    expect(error.params?.file).toBe('/p/project.json');
    expect(typeof error.params?.field).toBe('string');
    expect(error.message).toContain(`"${String(error.params?.field)}"`);
  });

  it('sample check shows the display name', async () => {
    const file = await writeEmptyFile(await temporaryDir(), 'upload-123.jpg');
    const error = await thrown(() => checkSampleFile('image', file, 'photo.jpg'));
    expect(error.key).toBe('image_empty');
    expect(error.params?.file).toBe('photo.jpg');
    expect(error.message).not.toContain(path.basename(file));
  });

  it('taken class name', async () => {
    const project = await createProject(path.join(await temporaryDir(), 'names'));
    await addClass(project, 'cat');
    const error = await thrown(() => addClass(project, ' cat '));
    expect(error.key).toBe('class_name_taken');
    expect(error.params).toEqual({ name: 'cat' });
  });

  it('wrong sample extension', async () => {
    const file = await writeEmptyFile(await temporaryDir(), 'notes.txt');
    const error = await thrown(() => checkSampleFile('image', file, 'notes.txt'));
    expect(error.key).toBe('sample_wrong_extension');
    expect(error.params?.file).toBe('notes.txt');
  });

  it('missing import folder', async () => {
    const scratch = await temporaryDir();
    const source = path.join(scratch, 'absent');
    const error = await thrown(() => importFolder(source, path.join(scratch, 'project')));
    expect(error.key).toBe('folder_not_found');
    expect(error.params).toEqual({ dir: source });
  });
});
