// Translated text of an engine message (an error or a skipped file) that carries a message key.
// The strings are `error_message.<key>` and `error_message.<key>_hint` in the locale files.

import { isMessageKey, type I18n } from './i18n.svelte.js';

export interface KeyedMessage {
  key?: string;
  params?: Readonly<Record<string, string | number>>;
}

/**
 * Returns the translated message, or with `part` 'hint' its hint. Returns undefined in English, and
 * when the message has no key or the locale files lack it. The caller then shows the engine's own
 * English text, which also keeps the low-level reason.
 */
export function translateEngineMessage(i18n: I18n, message: KeyedMessage, part: 'message' | 'hint' = 'message'): string | undefined {
  if (i18n.locale === 'en' || message.key === undefined) return undefined;
  const key = part === 'hint' ? `error_message.${message.key}_hint` : `error_message.${message.key}`;
  return isMessageKey(key) ? i18n.t(key, message.params) : undefined;
}
