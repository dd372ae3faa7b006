// Navigation, new-window and permission decisions of the main process, as pure functions so a test
// checks them without Electron.

import { APP_SCHEME, RENDERER_HOST } from './window-options.js';

/** Returns whether a frame may navigate to `url`: only within the app's own renderer (app://renderer/...). */
export function isNavigationAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // URL.origin is "null" for non-special schemes such as app:, so compare scheme and host instead.
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === RENDERER_HOST && parsed.username === '' && parsed.password === '';
}

/** Permissions the renderer may get: the camera and microphone (capture) and nothing else. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['media']);

/** Media types allowed inside a 'media' request. */
const GRANTED_MEDIA_TYPES: ReadonlySet<string> = new Set(['video', 'audio']);

export function isPermissionGranted(permission: string, requestingUrl: string, mediaTypes: readonly string[] = []): boolean {
  if (!GRANTED_PERMISSIONS.has(permission)) return false;
  if (!isNavigationAllowed(requestingUrl)) return false;
  return mediaTypes.every((type) => GRANTED_MEDIA_TYPES.has(type));
}

/** Returns whether an IPC message comes from the app's own window showing the app's own page. */
export function isTrustedSender(senderUrl: string | undefined, senderId: number, windowIds: ReadonlySet<number>): boolean {
  return senderUrl !== undefined && windowIds.has(senderId) && isNavigationAllowed(senderUrl);
}
