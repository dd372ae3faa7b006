import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { languageFromEnvironment } from '../../scripts/cli/i18n.js';
import { PROJECT_ROOT } from '../../models/paths.js';

function readKeys(language: string): string[] {
  const file = path.join(PROJECT_ROOT, 'scripts', 'cli', 'locales', `${language}.json`);
  return Object.keys(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
}

describe('cli locales', () => {
  it('en and zh-TW have the same keys', () => {
    expect(readKeys('zh-TW')).toEqual(readKeys('en'));
  });

  it('en keys are sorted', () => {
    const keys = readKeys('en');
    expect(keys).toEqual([...keys].sort());
  });

  it('zh-TW keys are sorted', () => {
    const keys = readKeys('zh-TW');
    expect(keys).toEqual([...keys].sort());
  });

  it('language from locale variables', () => {
    expect(languageFromEnvironment({ LANG: 'zh_TW.UTF-8' })).toBe('zh-TW');
    expect(languageFromEnvironment({ LANG: 'zh-Hant' })).toBe('zh-TW');
    expect(languageFromEnvironment({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_TW.UTF-8' })).toBe('en');
    expect(languageFromEnvironment({ LC_MESSAGES: 'zh_TW', LANG: 'en_US' })).toBe('zh-TW');
    expect(languageFromEnvironment({ LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(languageFromEnvironment({})).toBe('en');
  });
});
