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

/**
 * Stable ids of user-facing messages. The command line and the app look up `error_<key>` and
 * `error_<key>_hint` in their locale files and fill `{name}` placeholders from the error's params.
 */
export type ErrorMessageKey =
  | 'image_not_found'
  | 'image_empty'
  | 'image_unsupported'
  | 'image_corrupt'
  | 'image_too_large'
  | 'image_unreadable'
  | 'base_unknown'
  | 'base_missing'
  | 'base_damaged'
  | 'base_checksum'
  | 'project_not_found'
  | 'project_json_invalid'
  | 'project_field_invalid'
  | 'training_class_empty'
  | 'training_too_few_classes'
  | 'model_json_not_found'
  | 'model_json_invalid'
  | 'model_not_found'
  | 'metadata_not_found'
  | 'metadata_invalid'
  | 'classifier_invalid'
  | 'tflite_invalid'
  | 'board_unknown'
  | 'board_custom_invalid'
  | 'model_too_large'
  | 'export_into_model_folder'
  | 'labels_count_mismatch'
  | 'export_folder_not_empty'
  | 'calibration_empty'
  | 'calibration_unreadable'
  | 'sample_duplicate'
  | 'sample_wrong_extension'
  | 'class_name_empty'
  | 'class_name_taken'
  | 'folder_not_found'
  | 'folder_no_classes'
  | 'path_not_found';

export type ErrorMessageParams = Readonly<Record<string, string | number>>;

export interface ErrorDetails {
  /** File or folder the error is about. */
  path?: string;
  /** Fix for the user, as a command or a short instruction. */
  hint?: string;
  cause?: unknown;
  /** Id of the translated message and hint; without it, user interfaces show the English text. */
  key?: ErrorMessageKey;
  /** Values for the `{name}` placeholders of the translated message and hint. */
  params?: ErrorMessageParams;
}

export class EdgeTrainerError extends Error {
  readonly code: ErrorCode;
  readonly path?: string;
  readonly hint?: string;
  readonly key?: ErrorMessageKey;
  readonly params?: ErrorMessageParams;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EdgeTrainerError';
    this.code = code;
    this.path = details.path;
    this.hint = details.hint;
    this.key = details.key;
    this.params = details.params;
  }

  /** Message with the hint appended, for terminals and logs. */
  describe(): string {
    return this.hint ? `${this.message}\n  ${this.hint}` : this.message;
  }
}

export function isEdgeTrainerError(value: unknown): value is EdgeTrainerError {
  return value instanceof EdgeTrainerError;
}
