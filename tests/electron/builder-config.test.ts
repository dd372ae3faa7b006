import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../models/paths.js';

interface BuilderConfig {
  appId?: string;
  files?: string[];
  extraResources?: { from: string; to: string }[];
  win?: { target?: string[] };
  mac?: { target?: string[] };
  linux?: { target?: string[] };
}

const config = parse(await readFile(path.join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const manifest = JSON.parse(await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main?: string; scripts: Record<string, string> };

describe('electron-builder.yml', () => {
  test('app id set', () => expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/));
  test('windows builds NSIS', () => expect(config.win?.target).toContain('nsis'));
  test('macOS builds dmg', () => expect(config.mac?.target).toContain('dmg'));
  test('linux builds AppImage', () => expect(config.linux?.target).toContain('AppImage'));
  test('linux builds deb', () => expect(config.linux?.target).toContain('deb'));
  test('bases bundled as extra resources', () => {
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'models/pretrained', to: 'pretrained' }));
  });
  test('built output packaged', () => expect(config.files).toContain('dist/**/*'));
  test('package main inside packaged files', () => expect(manifest.main?.startsWith('dist/')).toBe(true));
  test('dist script uses this config', () => expect(manifest.scripts.dist).toContain('electron-builder --config electron-builder.yml'));
  test('prestart installs electron binary', () => expect(manifest.scripts.prestart).toContain('ensure-electron'));
});
