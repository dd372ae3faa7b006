// Picks the transport: the preload bridge inside Electron, HTTP under `edge-trainer serve`.

import { createBridgeApi, type EdgeTrainerApi } from '../../../electron/api/bridge.js';
import { createHttpTransport, takeSessionToken } from './http-transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload script; absent in the browser build. */
    edgeTrainer?: EdgeTrainerApi;
  }
}

export type { EdgeTrainerApi };

/** Returns the API, or undefined in the browser build when no session token is known yet. */
export function connectApi(): EdgeTrainerApi | undefined {
  if (window.edgeTrainer !== undefined) return window.edgeTrainer;
  const token = takeSessionToken(window.location, window.sessionStorage, window.history);
  if (token === undefined) return undefined;
  return createBridgeApi(createHttpTransport(new URL('.', window.location.href).toString(), token), null);
}
