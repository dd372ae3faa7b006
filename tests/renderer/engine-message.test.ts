import { afterEach, describe, expect, test } from 'vitest';
import cliEn from '../../scripts/cli/locales/en.json';
import cliZhTW from '../../scripts/cli/locales/zh-TW.json';
import en from '../../renderer/locales/en.json';
import zhTW from '../../renderer/locales/zh-TW.json';
import { translateEngineMessage } from '../../renderer/lib/i18n/engine-message.js';
import { i18n } from '../../renderer/lib/i18n/i18n.svelte.js';

const CLI_PREFIX = 'error_';
const APP_PREFIX = 'error_message.';

afterEach(() => {
  i18n.locale = 'en';
});

describe('translateEngineMessage', () => {
  test('message in zh-TW', () => {
    i18n.locale = 'zh-TW';
    expect(translateEngineMessage(i18n, { key: 'tflite_invalid', params: { file: 'm.tflite' } })).toBe('TFLite 檔 m.tflite 已損壞或不完整。');
  });

  test('hint in zh-TW', () => {
    i18n.locale = 'zh-TW';
    expect(translateEngineMessage(i18n, { key: 'tflite_invalid', params: { file: 'm.tflite' } }, 'hint')).toContain('請重新匯出模型');
  });

  test('English returns undefined', () => {
    expect(translateEngineMessage(i18n, { key: 'tflite_invalid', params: { file: 'm.tflite' } })).toBeUndefined();
  });

  test('missing key returns undefined', () => {
    i18n.locale = 'zh-TW';
    expect(translateEngineMessage(i18n, { key: 'no_such_key' })).toBeUndefined();
  });

  test('no key returns undefined', () => {
    expect(translateEngineMessage(i18n, {})).toBeUndefined();
  });

  test('app and CLI share the message keys', () => {
    // The CLI's key kinds (error_kind_*) are not engine message keys.
    const cliKeys = Object.keys(cliEn).filter((key) => key.startsWith(CLI_PREFIX) && !key.startsWith('error_kind_') && key !== 'error_prefix');
    const appKeys = Object.keys(en).filter((key) => key.startsWith(APP_PREFIX));
    expect(appKeys.map((key) => key.slice(APP_PREFIX.length)).sort()).toEqual(cliKeys.map((key) => key.slice(CLI_PREFIX.length)).sort());
  });

  test('app and CLI texts match', () => {
    const app = Object.entries(zhTW).filter(([key]) => key.startsWith(APP_PREFIX));
    const cli = cliZhTW as Readonly<Record<string, string>>;
    const differing = app.filter(([key, text]) => cli[CLI_PREFIX + key.slice(APP_PREFIX.length)] !== text).map(([key]) => key);
    expect(differing).toEqual([]);
  });
});
