// Data exchanged between the renderer and the engine side, over IPC (Electron) or HTTP (serve).
// Plain JSON-compatible values only, plus Uint8Array for file contents (see codec.ts).

export type ProjectKind = 'image' | 'audio';

export interface ClassView {
  id: string;
  name: string;
  sampleCount: number;
}

export interface SampleView {
  id: string;
  classId: string;
  /** Path relative to the project folder. */
  file: string;
  session?: string;
  addedAt: string;
}

export interface ModelVersionView {
  version: number;
  dir: string;
  createdAt: string;
  /** True when samples or settings changed since this version was trained. */
  stale: boolean;
  valAccuracy?: number;
}

export interface ProjectView {
  dir: string;
  name: string;
  kind: ProjectKind;
  baseId: string;
  classes: ClassView[];
  samples: SampleView[];
  models: ModelVersionView[];
  settings: TrainSettings;
  /** Files the last request skipped (unreadable, duplicate), each with the reason; only in replies to additions. */
  skipped?: SkippedView[];
}

export interface SkippedView {
  source: string;
  /** The engine's English reason. */
  reason: string;
  /** Message id in the renderer's `error_message.*` strings, when the engine set one. */
  key?: string;
  params?: Record<string, string | number>;
}

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerName;
  dropout: number;
  augmentation: boolean;
  /** Share of each class held out for validation, 0..0.5. */
  validationShare: number;
  seed: number;
}

/** Teachable Machine's defaults, which the engine also uses. */
export const DEFAULT_TRAIN_SETTINGS: Readonly<TrainSettings> = Object.freeze({
  epochs: 50,
  batchSize: 16,
  learningRate: 0.001,
  optimizer: 'adam',
  dropout: 0,
  augmentation: false,
  validationShare: 0.15,
  seed: 42,
});

export interface EpochLogs {
  loss: number;
  accuracy: number;
  /** Null or absent without a validation set. */
  valLoss?: number | null;
  valAccuracy?: number | null;
}

export interface TrainProgress {
  stage: 'embedding' | 'training' | 'saving';
  done: number;
  total: number;
  /** 1-based epoch, during the training stage. */
  epoch?: number;
  logs?: EpochLogs;
}

export interface MisclassifiedView {
  sampleId?: string;
  file: string;
  expected: string;
  predicted: string;
}

export interface EvaluationView {
  labels: string[];
  accuracy?: number;
  perClassAccuracy: (number | null)[];
  /** confusion[expected][predicted], counts over the validation samples. */
  confusion: number[][];
  misclassified: MisclassifiedView[];
}

export interface ModelReportView {
  version: number;
  history: EpochLogs[];
  evaluation: EvaluationView;
}

export interface TrainResultView extends ModelReportView {
  project: ProjectView;
}

export interface PredictionView {
  labels: string[];
  probabilities: number[];
}

/** File contents sent from the renderer: a capture frame, an uploaded or dropped file. */
export interface FileUpload {
  name: string;
  bytes: Uint8Array;
}

export interface ExportFormatView {
  id: string;
  /** Variants the format offers (TFLite: float32, float16, dynamic, int8, uint8). */
  variants: string[];
  /** Board ids for C/Arduino formats, empty otherwise. */
  boards: string[];
}

export interface ExportRequest {
  format: string;
  variant?: string;
  board?: string;
  /** Flash and RAM of the 'custom' board, in KiB. */
  customFlashKb?: number;
  customRamKb?: number;
}

export interface ExportFileView {
  /** Path relative to the project folder. */
  file: string;
  bytes: number;
}

export interface BoardFitView {
  /** Board name, such as "Arduino Nano 33 BLE Sense". */
  board: string;
  fits: boolean;
  flashBytes: number;
  flashLimitBytes: number;
  ramBytes: number;
  ramLimitBytes: number;
}

export interface ExportEstimateView {
  format: string;
  variant?: string;
  board?: string;
  /** Size of the main file (model.tflite, the model's weights), in bytes. */
  sizeBytes: number;
  fit?: BoardFitView;
}

export interface ExportResultView {
  format: string;
  variant?: string;
  /** Folder written, relative to the project folder. */
  dir: string;
  files: ExportFileView[];
  fit?: BoardFitView;
}

export interface AppInfo {
  version: string;
  /** 'electron' or 'http'. */
  transport: 'electron' | 'http';
  /** Folder where new projects go by default. */
  workspaceDir: string;
  /** Project opened at start (serve --project), if any. */
  startProjectDir?: string;
}

/** An error as the renderer receives it: a stable code it translates, and the engine's message. */
export interface ApiErrorView {
  code: string;
  message: string;
  path?: string;
  hint?: string;
  /** Message id in the renderer's `error_message.*` strings, when the engine set one. */
  key?: string;
  /** Values for the placeholders of that message and its hint. */
  params?: Record<string, string | number>;
}
