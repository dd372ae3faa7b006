// The renderer's API: named verbs over one `call` function. The preload script builds it on
// ipcRenderer.invoke, the browser build on fetch, so both transports expose the same object and
// the renderer's API type is derived from it (EdgeTrainerApi).

import type { ApiChannel, ApiRequest, ApiResult } from './channels.js';
import type { FileUpload, TrainProgress, TrainSettings, ExportRequest } from './types.js';

// An AbortSignal cannot cross Electron's contextBridge, so a long-running call carries a job id
// chosen by the renderer and cancelling is a separate verb (cancelJob) taking that id.
export interface CallOptions {
  /** Id the renderer picks for a long-running call, to cancel it with cancelJob. */
  jobId?: string;
  /** Receives progress events of long-running channels. */
  onProgress?: (progress: TrainProgress) => void;
}

export type ApiCall = <C extends ApiChannel>(channel: C, request: ApiRequest<C>, options?: CallOptions) => Promise<ApiResult<C>>;

export interface Transport {
  call: ApiCall;
  cancelJob: (jobId: string) => Promise<void>;
  /** URL the renderer can put in <img src> or a download link for a file inside the open project. */
  projectFileUrl: (relativeFile: string) => string;
}

const NO_ARGS: Record<string, never> = {};

/** Builds the verb object on a transport's `call` function. */
export function createVerbs({ call, cancelJob, projectFileUrl }: Transport) {
  return {
    cancelJob,
    projectFileUrl,
    appInfo: () => call('app:info', NO_ARGS),
    createProject: (dir: string, name: string, baseId?: string) => call('project:create', { dir, name, baseId }),
    openProject: (dir: string) => call('project:open', { dir }),
    recentProjects: () => call('project:recent', NO_ARGS),
    importFolder: (sourceDir: string, dir: string, name: string, options?: CallOptions) =>
      call('project:import-folder', { sourceDir, dir, name }, options),
    importTeachableMachine: (modelDir: string, dir: string, name: string) => call('project:import-tm', { modelDir, dir, name }),
    updateSettings: (settings: TrainSettings) => call('project:update-settings', { settings }),
    addClass: (name: string) => call('class:add', { name }),
    renameClass: (classId: string, name: string) => call('class:rename', { classId, name }),
    deleteClass: (classId: string) => call('class:delete', { classId }),
    reorderClasses: (classIds: string[]) => call('class:reorder', { classIds }),
    addSamples: (classId: string, files: FileUpload[], session?: string) => call('sample:add', { classId, files, session }),
    addSamplePaths: (classId: string, paths: string[]) => call('sample:add-paths', { classId, paths }),
    deleteSamples: (sampleIds: string[]) => call('sample:delete', { sampleIds }),
    train: (settings: TrainSettings, options?: CallOptions) => call('train:start', { settings }, options),
    latestModelReport: () => call('model:latest-report', NO_ARGS),
    predictImage: (image: FileUpload) => call('predict:image', { image }),
    exportFormats: () => call('export:formats', NO_ARGS),
    estimateExport: (request: ExportRequest, options?: CallOptions) => call('export:estimate', request, options),
    exportModel: (request: ExportRequest, options?: CallOptions) => call('export:run', request, options),
  };
}

export type ApiVerbs = ReturnType<typeof createVerbs>;
