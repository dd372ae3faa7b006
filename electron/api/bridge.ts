// The object the renderer receives as its API. The preload script builds it on IPC and exposes it
// with contextBridge; the browser build builds it on HTTP. EdgeTrainerApi, the renderer's type, is
// derived from this builder, so the two transports cannot drift apart.

import { createVerbs, type Transport } from './verbs.js';

/** Menu commands the desktop shell sends to the renderer. */
export const MENU_COMMANDS = [
  'project:new',
  'project:open',
  'project:save',
  'project:open-recent',
  'samples:import-images',
  'project:import-tm',
  'model:export',
  'language:en',
  'language:zh-TW',
  'app:about',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Verbs only the desktop shell has: native dialogs, menus and the close prompt. */
export interface DesktopVerbs {
  /** Native folder picker; resolves to undefined when cancelled. */
  chooseDirectory: (purpose: 'open' | 'create' | 'import') => Promise<string | undefined>;
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onMenuCommand: (listener: (command: MenuCommand, argument?: string) => void) => () => void;
  /** Tells the shell whether closing the window would lose work, so it shows a confirmation first. */
  setUnsavedChanges: (unsaved: boolean) => void;
  /** Rebuilds the native menus in the renderer's language. */
  setLocale: (locale: string) => void;
}

export function createBridgeApi(transport: Transport, desktop: DesktopVerbs | null) {
  return { ...createVerbs(transport), desktop };
}

export type EdgeTrainerApi = ReturnType<typeof createBridgeApi>;
