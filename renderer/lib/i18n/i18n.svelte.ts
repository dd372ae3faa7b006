// Run-time language switching for the renderer: English and Traditional Chinese (Taiwan). The
// default comes from the system locale (navigator.languages); the choice persists in localStorage.

import en from '../../locales/en.json';
import zhTW from '../../locales/zh-TW.json';
import { formatMessage, type MessageValues } from './format.js';

export const LOCALES = ['zh-TW', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export type MessageKey = keyof typeof en;

const CATALOGS: Readonly<Record<Locale, Readonly<Record<string, string>>>> = Object.freeze({ en, 'zh-TW': zhTW });
const STORAGE_KEY = 'edge-trainer.locale';

/** Maps a BCP 47 tag to a supported locale: zh-TW, zh-Hant and zh-HK become zh-TW, the rest English. */
export function matchLocale(tag: string | undefined): Locale | undefined {
  if (tag === undefined) return undefined;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return lower.includes('hans') || lower === 'zh-cn' || lower === 'zh-sg' ? undefined : 'zh-TW';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-TW') return stored;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const match = matchLocale(tag);
    if (match !== undefined) return match;
  }
  return 'en';
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

export class I18n {
  #locale = $state<Locale>(initialLocale());

  get locale(): Locale {
    return this.#locale;
  }

  set locale(next: Locale) {
    this.#locale = next;
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
    if (globalThis.document !== undefined) document.documentElement.lang = next;
  }

  /** Translates `key`; a key missing from the catalog shows as the key itself, which tests catch. */
  t = (key: MessageKey, values: MessageValues = {}): string => {
    const message = CATALOGS[this.#locale][key] ?? key;
    return formatMessage(message, values, this.#locale);
  };

  number = (value: number, options?: Intl.NumberFormatOptions): string => new Intl.NumberFormat(this.#locale, options).format(value);

  percent = (value: number): string => new Intl.NumberFormat(this.#locale, { style: 'percent', maximumFractionDigits: 1 }).format(value);

  /** Size with SI prefixes (1 kB = 1000 bytes), as Intl's kilobyte and megabyte units mean. */
  bytes = (value: number): string => {
    const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
    let unit = 0;
    let scaled = value;
    while (scaled >= 1000 && unit < units.length - 1) {
      scaled /= 1000;
      unit++;
    }
    return new Intl.NumberFormat(this.#locale, { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(scaled);
  };

  dateTime = (iso: string): string => new Intl.DateTimeFormat(this.#locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  /** Duration in seconds as m:ss or h:mm:ss. */
  duration = (seconds: number): string => {
    const total = Math.max(0, Math.round(seconds));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = String(total % 60).padStart(2, '0');
    return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
  };
}

export const i18n = new I18n();
