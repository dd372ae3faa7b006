/// <reference types="node" />
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import en from '../../renderer/locales/en.json';
import zhTW from '../../renderer/locales/zh-TW.json';
import { formatMessage } from '../../renderer/lib/i18n/format.js';

const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'locales' ? [] : sourceFiles(full);
    return /\.(svelte|ts)$/.test(name) ? [full] : [];
  });
}

/** Message keys written literally in renderer sources: t('a.b'), label: 'a.b', and tables of keys. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const areas = new Set(Object.keys(en).map((key) => key.split('.')[0]));
  for (const file of sourceFiles(rendererDir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/'([a-z]+(?:\.[a-z0-9_]+)+)'/g)) {
      if (areas.has(match[1].split('.')[0]) && !match[1].includes('svelte')) keys.add(match[1]);
    }
  }
  return keys;
}

describe('renderer locales', () => {
  test('zh-TW has every English key', () => expect(Object.keys(zhTW).sort()).toEqual(Object.keys(en).sort()));

  test('en keys sorted', () => expect(Object.keys(en)).toEqual(Object.keys(en).sort()));

  test('zh-TW keys sorted', () => expect(Object.keys(zhTW)).toEqual(Object.keys(zhTW).sort()));

  test('every key used in code exists', () => {
    const missing = [...usedKeys()].filter((key) => !(key in en));
    expect(missing).toEqual([]);
  });

  test('no empty messages', () => {
    const empty = [...Object.entries(en), ...Object.entries(zhTW)].filter(([, message]) => message.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  test('same placeholders in both languages', () => {
    const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\s*[,}]/g)].map((match) => match[1]).sort();
    const mismatched = Object.keys(en).filter(
      (key) => JSON.stringify(placeholders(en[key as keyof typeof en])) !== JSON.stringify(placeholders(zhTW[key as keyof typeof zhTW])),
    );
    expect(mismatched).toEqual([]);
  });

  test('every message formats without throwing', () => {
    const values = { count: 2, number: 1, name: 'A', seconds: 3, version: 1, done: 1, total: 2, time: '0:10', rate: 5, accuracy: '90%', expected: 'a', predicted: 'b', board: 'esp32', flash: '1 KB', flashLimit: '4 MB', ram: '1 KB', ramLimit: '520 KB', id: 'x' };
    for (const [locale, catalog] of [['en', en], ['zh-TW', zhTW]] as const) {
      for (const message of Object.values(catalog)) expect(() => formatMessage(message, values, locale)).not.toThrow();
    }
  });
});

describe('formatMessage', () => {
  test('argument substituted', () => expect(formatMessage('Hi {name}', { name: 'Ann' }, 'en')).toBe('Hi Ann'));
  test('number formatted per locale', () => expect(formatMessage('{n}', { n: 12345.5 }, 'en')).toBe('12,345.5'));
  test('plural one', () => expect(formatMessage('{count, plural, one {# frame} other {# frames}}', { count: 1 }, 'en')).toBe('1 frame'));
  test('plural other', () => expect(formatMessage('{count, plural, one {# frame} other {# frames}}', { count: 3 }, 'en')).toBe('3 frames'));
  test('plural exact zero', () => expect(formatMessage('{count, plural, =0 {none} other {# items}}', { count: 0 }, 'en')).toBe('none'));
  test('nested argument in branch', () => expect(formatMessage('{count, plural, other {# of {name}}}', { count: 2, name: 'x' }, 'en')).toBe('2 of x'));
  test('unknown argument kept visible', () => expect(formatMessage('a {missing} b', {}, 'en')).toBe('a {missing} b'));
  test('unbalanced braces rejected', () => expect(() => formatMessage('a {b', {}, 'en')).toThrow(/Unbalanced/));
});
