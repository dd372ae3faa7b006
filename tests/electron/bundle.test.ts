import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../models/paths.js';

const outDir = path.join(PROJECT_ROOT, 'dist', 'electron');

describe('Electron bundles', () => {
  beforeAll(() => {
    const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-electron.js')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('preload requires only electron', async () => {
    const preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
    const required = new Set([...preload.matchAll(/require\("([^"]+)"\)/g)].map((match) => match[1]));
    expect([...required]).toEqual(['electron']);
  });

  test('preload never exposes ipcRenderer', async () => {
    const preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
    expect(preload).toMatch(/exposeInMainWorld\("edgeTrainer"/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });

  test('no sendSync anywhere', async () => {
    for (const file of ['main.js', 'preload.cjs', 'engine.js']) {
      expect(await readFile(path.join(outDir, file), 'utf8')).not.toContain('sendSync');
    }
  });

  test('main process loads the app scheme only', async () => {
    const main = await readFile(path.join(outDir, 'main.js'), 'utf8');
    const loaded = [...main.matchAll(/loadURL\(([^)]*)\)/g)].map((match) => match[1]);
    expect(loaded.length).toBeGreaterThan(0);
    for (const argument of loaded) expect(argument).toMatch(/^RENDERER_ENTRY_URL\d*$/);
  });
});
