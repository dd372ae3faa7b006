// Language of the command line's help, messages and errors: English or Traditional Chinese
// (Taiwan). Strings live in locales/en.json and locales/zh-TW.json, which have the same keys.

import en from './locales/en.json' with { type: 'json' };
import zhTW from './locales/zh-TW.json' with { type: 'json' };

export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageKey = keyof typeof en;
export type MessageParams = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

const CATALOGS: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = Object.freeze({
  en,
  'zh-TW': zhTW,
});

/** Locale names that select zh-TW: zh_TW, zh-TW, zh_Hant, zh-Hant, with any suffix (zh_TW.UTF-8). */
const ZH_TW_LOCALE = /^zh[_-](tw|hant)\b/i;

export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Picks the language from the POSIX locale variables: the first set one of LC_ALL, LC_MESSAGES
 * and LANG decides, as in gettext. Anything other than a Taiwan or Traditional Chinese locale is English.
 */
export function languageFromEnvironment(env: NodeJS.ProcessEnv = process.env): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return ZH_TW_LOCALE.test(locale) ? 'zh-TW' : 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Returns a translator that fills `{name}` placeholders from `params`. */
export function createTranslator(language: Language): Translate {
  const catalog = CATALOGS[language];
  return (key, params = {}) => {
    const template = catalog[key] ?? en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}
