// Text of an engine error in the command line's language. English shows the engine's own message
// and hint. In zh-TW, an error with a message key is translated whole, message and hint. An error
// without a key keeps the engine's English text below a translated summary line for its code.

import type { EdgeTrainerError, ErrorCode, ErrorMessageKey } from '../../models/errors.js';
import { isMessageKey, type Language, type MessageKey, type Translate } from './i18n.js';

/** Compile-time check that the locale files have a message and a hint for every ErrorMessageKey. */
type MissingErrorMessages = Exclude<`error_${ErrorMessageKey}` | `error_${ErrorMessageKey}_hint`, MessageKey>;
const NO_MISSING_ERROR_MESSAGES: [MissingErrorMessages] extends [never] ? true : MissingErrorMessages = true;
void NO_MISSING_ERROR_MESSAGES;

/** Translated one-line summary of each EdgeTrainerError code, for errors without a message key. */
const ERROR_KIND_KEYS: Readonly<Record<ErrorCode, MessageKey>> = Object.freeze({
  invalid_argument: 'error_kind_invalid_argument',
  invalid_input: 'error_kind_invalid_input',
  not_found: 'error_kind_not_found',
  corrupt_model: 'error_kind_corrupt_model',
  missing_base: 'error_kind_missing_base',
  unsupported: 'error_kind_unsupported',
  backend_unavailable: 'error_kind_backend_unavailable',
  cancelled: 'error_kind_cancelled',
});

export interface ErrorText {
  message: string;
  hint?: string;
}

/**
 * Returns the message and hint to print for `error`. A translated message leaves out the engine's
 * low-level reason (a decoder's or parser's own words); --json and EDGE_TRAINER_DEBUG=1 still show it.
 */
export function engineErrorText(error: EdgeTrainerError, t: Translate, language: Language): ErrorText {
  if (language === 'en') return { message: error.message, hint: error.hint };
  if (error.key) {
    const hintKey = `error_${error.key}_hint`;
    return {
      message: t(`error_${error.key}`, error.params),
      hint: isMessageKey(hintKey) ? t(hintKey, error.params) : error.hint,
    };
  }
  return { message: `${t(ERROR_KIND_KEYS[error.code])}\n  ${error.message}`, hint: error.hint };
}
