// Exit codes of the command line. Scripts and the app branch on them, so they are part of the
// interface: change a number only together with README.md.

import type { ErrorCode } from '../../models/errors.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INVALID_INPUT = 3;
export const EXIT_MISSING_BASE = 4;

/** Exit code for each EdgeTrainerError code. */
export const EXIT_CODE_BY_ERROR: Readonly<Record<ErrorCode, number>> = Object.freeze({
  invalid_argument: EXIT_USAGE,
  invalid_input: EXIT_INVALID_INPUT,
  not_found: EXIT_INVALID_INPUT,
  corrupt_model: EXIT_INVALID_INPUT,
  // A model or file of a kind the command cannot read (an audio model given to predict, say).
  unsupported: EXIT_INVALID_INPUT,
  missing_base: EXIT_MISSING_BASE,
  backend_unavailable: EXIT_FAILURE,
  cancelled: EXIT_FAILURE,
});
