// The main process's IPC layer with only the `electron` module replaced: every handler must reject
// a sender that is not the app's own window on the app's own page, and forward trusted calls.

import { beforeEach, describe, expect, test, vi } from 'vitest';
import { API_CHANNELS, DESKTOP_CHANNELS } from '../../electron/api/channels.js';
import { RENDERER_ENTRY_URL } from '../../electron/main/window-options.js';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

const handlers = new Map<string, Handler>();
const listeners = new Map<string, Handler>();
const windows = new Map<object, { id: number }>();

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
    on: (channel: string, listener: Handler) => listeners.set(channel, listener),
    removeAllListeners: (channel: string) => listeners.delete(channel),
  },
  BrowserWindow: { fromWebContents: (sender: object) => windows.get(sender) ?? null },
  dialog: { showOpenDialog: async () => ({ canceled: false, filePaths: ['/chosen'] }) },
}));

const { registerIpcHandlers } = await import('../../electron/main/ipc.js');

function makeEvent(windowId: number | undefined, url: string) {
  const sender = { send: vi.fn(), isDestroyed: () => false };
  if (windowId !== undefined) windows.set(sender, { id: windowId });
  return { sender, senderFrame: { url } };
}

const calls: { channel: string; request: unknown }[] = [];
const unsaved: boolean[] = [];

beforeEach(() => {
  handlers.clear();
  listeners.clear();
  calls.length = 0;
  unsaved.length = 0;
  const engine = {
    call: (channel: string, request: unknown, onProgress?: (progress: unknown) => void) => {
      calls.push({ channel, request });
      onProgress?.({ stage: 'training', done: 1, total: 2 });
      return { id: 7, result: Promise.resolve({ echoed: channel }) };
    },
    cancel: vi.fn(),
  };
  registerIpcHandlers({
    engine: engine as never,
    windowIds: () => new Set([1]),
    onUnsavedChanges: (_id, value) => unsaved.push(value),
    onLocale: () => undefined,
  });
});

describe('IPC handlers', () => {
  test('one handler per API channel', () => {
    for (const channel of API_CHANNELS) expect(handlers.has(channel)).toBe(true);
  });

  test('every desktop channel registered', () => {
    for (const channel of DESKTOP_CHANNELS) expect(handlers.has(channel) || listeners.has(channel)).toBe(true);
  });

  test('foreign window rejected on every API channel', async () => {
    for (const channel of API_CHANNELS) {
      const reply = await handlers.get(channel)!(makeEvent(2, RENDERER_ENTRY_URL), {});
      expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code: 'unauthorized' }) });
    }
    expect(calls).toEqual([]);
  });

  test('foreign page in own window rejected', async () => {
    const reply = await handlers.get('app:info')!(makeEvent(1, 'https://example.com/'), {});
    expect(reply).toMatchObject({ ok: false });
  });

  test('trusted call forwarded with progress', async () => {
    const event = makeEvent(1, RENDERER_ENTRY_URL);
    const reply = await handlers.get('train:start')!(event, { settings: {} }, 'job-9');
    expect(reply).toEqual({ ok: true, result: { echoed: 'train:start' } });
    expect(event.sender.send).toHaveBeenCalledWith('job:progress', 'job-9', { stage: 'training', done: 1, total: 2 });
  });

  test('untrusted cancel ignored', async () => {
    expect(await handlers.get('job:cancel')!(makeEvent(2, RENDERER_ENTRY_URL), 'job-9')).toBe(false);
  });

  test('untrusted dialog returns nothing', async () => {
    expect(await handlers.get('dialog:choose-directory')!(makeEvent(2, RENDERER_ENTRY_URL), 'open')).toBeUndefined();
  });

  test('trusted dialog returns the folder', async () => {
    expect(await handlers.get('dialog:choose-directory')!(makeEvent(1, RENDERER_ENTRY_URL), 'open')).toBe('/chosen');
  });

  test('unsaved flag only from trusted sender', () => {
    listeners.get('app:unsaved')!(makeEvent(2, RENDERER_ENTRY_URL), true);
    listeners.get('app:unsaved')!(makeEvent(1, RENDERER_ENTRY_URL), true);
    expect(unsaved).toEqual([true]);
  });
});
