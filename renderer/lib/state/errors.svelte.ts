// The error banner's state: the latest error of any screen, shown until dismissed.

import { toApiError, type ApiError } from '../api/api-error.js';

export class ErrorState {
  current = $state.raw<ApiError | undefined>(undefined);

  report = (error: unknown): void => {
    this.current = toApiError(error);
  };

  dismiss = (): void => {
    this.current = undefined;
  };
}
