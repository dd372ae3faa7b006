import type { ApiErrorView } from '../../../electron/api/types.js';

/** An engine or transport error in the renderer, carrying the code the UI translates. */
export class ApiError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly hint?: string;
  /** Id of the translated message and hint (`error_message.<key>` in the locale files). */
  readonly key?: string;
  readonly params: Readonly<Record<string, string | number>>;

  constructor(view: ApiErrorView) {
    super(view.message);
    this.name = 'ApiError';
    this.code = view.code;
    this.path = view.path;
    this.hint = view.hint;
    this.key = view.key;
    this.params = view.params ?? {};
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const record = (error ?? {}) as { code?: unknown; message?: unknown; path?: unknown; hint?: unknown; key?: unknown; params?: unknown };
  return new ApiError({
    code: typeof record.code === 'string' ? record.code : 'internal',
    message: typeof record.message === 'string' ? record.message : String(error),
    path: typeof record.path === 'string' ? record.path : undefined,
    hint: typeof record.hint === 'string' ? record.hint : undefined,
    key: typeof record.key === 'string' ? record.key : undefined,
    params: typeof record.params === 'object' && record.params !== null ? (record.params as Record<string, string | number>) : undefined,
  });
}
