// The one list of request channels between the renderer and the engine side. Electron's main
// process registers an IPC handler per entry and the HTTP server a route per entry
// (POST /api/<channel>), so a channel missing from ApiMethods is a compile error in both.

import type {
  ApiErrorView,
  AppInfo,
  ExportEstimateView,
  ExportFormatView,
  ExportRequest,
  ExportResultView,
  FileUpload,
  ModelReportView,
  PredictionView,
  ProjectView,
  TrainResultView,
  TrainSettings,
} from './types.js';

export const API_CHANNELS = [
  'app:info',
  'project:create',
  'project:open',
  'project:recent',
  'project:import-folder',
  'project:import-tm',
  'project:update-settings',
  'class:add',
  'class:rename',
  'class:delete',
  'class:reorder',
  'sample:add',
  'sample:add-paths',
  'sample:delete',
  'train:start',
  'model:latest-report',
  'predict:image',
  'export:formats',
  'export:estimate',
  'export:run',
] as const;

export type ApiChannel = (typeof API_CHANNELS)[number];

/** Request and result type of every channel. */
export interface ApiMethods {
  'app:info': { request: Record<string, never>; result: AppInfo };
  'project:create': { request: { dir: string; name: string; baseId?: string }; result: ProjectView };
  'project:open': { request: { dir: string }; result: ProjectView };
  'project:recent': { request: Record<string, never>; result: string[] };
  'project:import-folder': { request: { sourceDir: string; dir: string; name: string }; result: ProjectView };
  'project:import-tm': { request: { modelDir: string; dir: string; name: string }; result: ProjectView };
  'project:update-settings': { request: { settings: TrainSettings }; result: ProjectView };
  'class:add': { request: { name: string }; result: ProjectView };
  'class:rename': { request: { classId: string; name: string }; result: ProjectView };
  'class:delete': { request: { classId: string }; result: ProjectView };
  'class:reorder': { request: { classIds: string[] }; result: ProjectView };
  'sample:add': { request: { classId: string; files: FileUpload[]; session?: string }; result: ProjectView };
  'sample:add-paths': { request: { classId: string; paths: string[] }; result: ProjectView };
  'sample:delete': { request: { sampleIds: string[] }; result: ProjectView };
  'train:start': { request: { settings: TrainSettings }; result: TrainResultView };
  /** History and evaluation of the newest model version, read back from its report.json; null without one. */
  'model:latest-report': { request: Record<string, never>; result: ModelReportView | null };
  'predict:image': { request: { image: FileUpload }; result: PredictionView };
  'export:formats': { request: Record<string, never>; result: ExportFormatView[] };
  /** Builds the export in memory and returns its size and board fit; export:run then saves that build. */
  'export:estimate': { request: ExportRequest; result: ExportEstimateView };
  'export:run': { request: ExportRequest; result: ExportResultView };
}

export type ApiRequest<C extends ApiChannel> = ApiMethods[C]['request'];
export type ApiResult<C extends ApiChannel> = ApiMethods[C]['result'];

/** Channels whose work reports progress events and can be cancelled. */
export const LONG_RUNNING_CHANNELS: readonly ApiChannel[] = Object.freeze(['train:start', 'export:estimate', 'export:run', 'project:import-folder']);

/** Events from the main process to the renderer (Electron only; HTTP streams progress in the response). */
export const EVENT_CHANNELS = ['job:progress', 'menu:command'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** IPC channels of the desktop shell itself, handled by the main process without the engine. */
export const DESKTOP_CHANNELS = ['job:cancel', 'dialog:choose-directory', 'app:unsaved', 'app:locale'] as const;
export type DesktopChannel = (typeof DESKTOP_CHANNELS)[number];

/** Reply of every invoke over IPC: errors travel as data, because Electron flattens thrown errors to a string. */
export type IpcEnvelope<T> = { ok: true; result: T } | { ok: false; error: ApiErrorView };

export function isApiChannel(value: unknown): value is ApiChannel {
  return typeof value === 'string' && (API_CHANNELS as readonly string[]).includes(value);
}
