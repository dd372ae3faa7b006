import type { ApiErrorView } from '../../../electron/api/types.js';

/** An engine or transport error in the renderer, carrying the code the UI translates. */
export class ApiError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly hint?: string;

  constructor(view: ApiErrorView) {
    super(view.message);
    this.name = 'ApiError';
    this.code = view.code;
    this.path = view.path;
    this.hint = view.hint;
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const record = (error ?? {}) as { code?: unknown; message?: unknown; path?: unknown; hint?: unknown };
  return new ApiError({
    code: typeof record.code === 'string' ? record.code : 'internal',
    message: typeof record.message === 'string' ? record.message : String(error),
    path: typeof record.path === 'string' ? record.path : undefined,
    hint: typeof record.hint === 'string' ? record.hint : undefined,
  });
}
