// Typed errors of the engine. Each carries a stable code, which the command line turns into an exit
// code and the app into a translated message, plus the file it concerns and the fix, when known.

export type ErrorCode =
  | 'invalid_argument'
  | 'invalid_input'
  | 'not_found'
  | 'corrupt_model'
  | 'missing_base'
  | 'unsupported'
  | 'backend_unavailable'
  | 'cancelled';

export interface ErrorDetails {
  /** File or folder the error is about. */
  path?: string;
  /** What the user can do about it, as a command or a short instruction. */
  hint?: string;
  cause?: unknown;
}

export class EdgeTrainerError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EdgeTrainerError';
    this.code = code;
    this.path = details.path;
    this.hint = details.hint;
  }

  /** Message with the hint appended, for terminals and logs. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export function isEdgeTrainerError(value: unknown): value is EdgeTrainerError {
  return value instanceof EdgeTrainerError;
}
