// IPC handlers of the main process. Every handler first checks that the message comes from the
// app's own window showing the app's own page. Engine calls are forwarded to the utility process.

import { BrowserWindow, dialog, ipcMain, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { API_CHANNELS, type IpcEnvelope } from '../api/channels.js';
import type { ApiErrorView } from '../api/types.js';
import type { EngineClient } from './engine-client.js';
import type { MenuLocale } from './menu.js';
import { isTrustedSender } from './policy.js';

export interface IpcHooks {
  engine: EngineClient;
  /** Ids of the windows this app created. */
  windowIds: () => ReadonlySet<number>;
  onUnsavedChanges: (windowId: number, unsaved: boolean) => void;
  onLocale: (locale: MenuLocale) => void;
}

function senderIsTrusted(event: IpcMainInvokeEvent | IpcMainEvent, windowIds: ReadonlySet<number>): boolean {
  const window = BrowserWindow.fromWebContents(event.sender);
  return window !== null && isTrustedSender(event.senderFrame?.url, window.id, windowIds);
}

const UNTRUSTED: ApiErrorView = { code: 'unauthorized', message: 'IPC message from an unknown sender was rejected.' };

export function registerIpcHandlers(hooks: IpcHooks): void {
  const jobIds = new Map<string, number>();

  for (const channel of API_CHANNELS) {
    ipcMain.removeHandler(channel);
    ipcMain.handle(channel, async (event, request: unknown, jobId?: unknown): Promise<IpcEnvelope<unknown>> => {
      if (!senderIsTrusted(event, hooks.windowIds())) return { ok: false, error: UNTRUSTED };
      const progressId = typeof jobId === 'string' ? jobId : undefined;
      const onProgress = progressId === undefined ? undefined : (progress: unknown) => {
        if (!event.sender.isDestroyed()) event.sender.send('job:progress', progressId, progress);
      };
      const call = hooks.engine.call(channel, request, onProgress);
      if (progressId !== undefined) jobIds.set(progressId, call.id);
      try {
        return { ok: true, result: await call.result };
      } catch (error) {
        return { ok: false, error: error as ApiErrorView };
      } finally {
        if (progressId !== undefined) jobIds.delete(progressId);
      }
    });
  }

  ipcMain.removeHandler('job:cancel');
  ipcMain.handle('job:cancel', (event, jobId: unknown) => {
    if (!senderIsTrusted(event, hooks.windowIds()) || typeof jobId !== 'string') return false;
    const id = jobIds.get(jobId);
    if (id !== undefined) hooks.engine.cancel(id);
    return id !== undefined;
  });

  ipcMain.removeHandler('dialog:choose-directory');
  ipcMain.handle('dialog:choose-directory', async (event, purpose: unknown) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    if (window === null || !senderIsTrusted(event, hooks.windowIds())) return undefined;
    const properties: ('openDirectory' | 'createDirectory' | 'promptToCreate')[] = purpose === 'create' ? ['openDirectory', 'createDirectory', 'promptToCreate'] : ['openDirectory'];
    const result = await dialog.showOpenDialog(window, { properties });
    return result.canceled ? undefined : result.filePaths[0];
  });

  ipcMain.removeAllListeners('app:unsaved');
  ipcMain.on('app:unsaved', (event, unsaved: unknown) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    if (window !== null && senderIsTrusted(event, hooks.windowIds())) hooks.onUnsavedChanges(window.id, unsaved === true);
  });

  ipcMain.removeAllListeners('app:locale');
  ipcMain.on('app:locale', (event, locale: unknown) => {
    if (senderIsTrusted(event, hooks.windowIds()) && (locale === 'en' || locale === 'zh-TW')) hooks.onLocale(locale);
  });
}
