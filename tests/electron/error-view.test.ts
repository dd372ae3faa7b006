import { describe, expect, test } from 'vitest';
import { toErrorView } from '../../electron/api/handlers.js';
import { parseProjectJson } from '../../models/project/schema.js';
import { toApiError } from '../../renderer/lib/api/api-error.js';

function engineError(): unknown {
  try {
    parseProjectJson('{"version": 1,', '/p/project.json');
  } catch (error) {
    return error;
  }
  throw new Error('parseProjectJson accepted broken JSON');
}

describe('toErrorView', () => {
  test('engine error keeps key and params', () => {
    const view = toErrorView(engineError());
    expect(view.code).toBe('invalid_input');
    expect(view.key).toBe('project_json_invalid');
    expect(view.params).toEqual({ file: '/p/project.json' });
    expect(view.message).toContain('Invalid project file /p/project.json');
  });

  test('non-primitive params dropped', () => {
    const view = toErrorView({ code: 'invalid_input', message: 'm', key: 'image_empty', params: { file: 'a.jpg', nested: { x: 1 } } });
    expect(view.params).toEqual({ file: 'a.jpg' });
  });

  test('plain error has no key', () => {
    const view = toErrorView(new Error('boom'));
    expect(view.key).toBeUndefined();
    expect(view.params).toBeUndefined();
  });

  test('view survives JSON into ApiError', () => {
    const error = toApiError(JSON.parse(JSON.stringify(toErrorView(engineError()))));
    expect(error.key).toBe('project_json_invalid');
    expect(error.params).toEqual({ file: '/p/project.json' });
  });
});
