// Preload script: exposes the app API to the sandboxed renderer as named verbs on
// window.edgeTrainer. ipcRenderer itself never crosses the bridge. Bundled into one CommonJS file,
// because a sandboxed preload can only require('electron').

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridgeApi, MENU_COMMANDS, type DesktopVerbs, type MenuCommand } from '../api/bridge.js';
import type { ApiChannel, ApiRequest, ApiResult, IpcEnvelope } from '../api/channels.js';
import type { ApiErrorView, TrainProgress } from '../api/types.js';
import type { CallOptions, Transport } from '../api/verbs.js';
import { APP_SCHEME, PROJECT_HOST } from '../main/window-options.js';

class IpcApiError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly hint?: string;
  readonly key?: string;
  readonly params?: Record<string, string | number>;

  constructor(error: ApiErrorView) {
    super(error.message);
    this.code = error.code;
    this.path = error.path;
    this.hint = error.hint;
    this.key = error.key;
    this.params = error.params;
  }
}

async function call<C extends ApiChannel>(channel: C, request: ApiRequest<C>, options: CallOptions = {}): Promise<ApiResult<C>> {
  const { jobId, onProgress } = options;
  let listener: ((event: IpcRendererEvent, id: string, progress: TrainProgress) => void) | undefined;
  if (jobId !== undefined && onProgress !== undefined) {
    listener = (_event, id, progress) => {
      if (id === jobId) onProgress(progress);
    };
    ipcRenderer.on('job:progress', listener);
  }
  try {
    const envelope = (await ipcRenderer.invoke(channel, request, jobId)) as IpcEnvelope<ApiResult<C>>;
    if (!envelope.ok) throw new IpcApiError(envelope.error);
    return envelope.result;
  } finally {
    if (listener !== undefined) ipcRenderer.removeListener('job:progress', listener);
  }
}

const transport: Transport = {
  call,
  cancelJob: async (jobId) => {
    await ipcRenderer.invoke('job:cancel', jobId);
  },
  projectFileUrl: (relativeFile) => `${APP_SCHEME}://${PROJECT_HOST}/${relativeFile.split('/').map(encodeURIComponent).join('/')}`,
};

const desktop: DesktopVerbs = {
  chooseDirectory: (purpose) => ipcRenderer.invoke('dialog:choose-directory', purpose) as Promise<string | undefined>,
  onMenuCommand: (listener) => {
    const handler = (_event: IpcRendererEvent, command: MenuCommand, argument?: string) => {
      if ((MENU_COMMANDS as readonly string[]).includes(command)) listener(command, argument);
    };
    ipcRenderer.on('menu:command', handler);
    return () => ipcRenderer.removeListener('menu:command', handler);
  },
  setUnsavedChanges: (unsaved) => ipcRenderer.send('app:unsaved', unsaved),
  setLocale: (locale) => ipcRenderer.send('app:locale', locale),
};

contextBridge.exposeInMainWorld('edgeTrainer', createBridgeApi(transport, desktop));
