// The project.json format and its validation. A project is a folder:
//   project.json            this file
//   samples/<classId>/...   sample files, named <sampleId><extension>
//   models/v<N>/...         trained model versions
//   cache/embeddings/...    embedding cache (safe to delete)

import { EdgeTrainerError } from '../errors.js';
import type { TrainingSettingsInput } from '../training/options.js';

export const PROJECT_FILE = 'project.json';
export const PROJECT_FORMAT_VERSION = 1;
export const SAMPLES_DIR = 'samples';
export const MODELS_DIR = 'models';
export const CACHE_DIR = 'cache';

export const PROJECT_KINDS = ['image', 'audio'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

export interface ProjectClass {
  /** Stable id, also the sample folder name; never changes on rename. */
  id: string;
  /** Display name, used as the model's label. */
  name: string;
}

export interface Sample {
  id: string;
  classId: string;
  /** Path relative to the project folder, with forward slashes. */
  file: string;
  /** SHA-256 of the file content, lowercase hex. */
  sha256: string;
  /** Capture session (one burst of webcam frames, one source folder); validation keeps sessions whole. */
  session?: string;
  /** ISO 8601 time the sample was added. */
  addedAt: string;
}

export interface ProjectSettings {
  /** Id of the pretrained base (see models/bases/registry.ts). */
  base: string;
  training: TrainingSettingsInput;
}

export interface ModelVersionEntry {
  version: number;
  /** Folder relative to the project, `models/v<N>`. */
  dir: string;
  createdAt: string;
  /** Digest of the sample set the model was trained on (see sampleSetDigest). */
  trainedOn: string;
  settings: ProjectSettings;
  /** Headline metrics, such as trainAccuracy and valAccuracy (0..1). */
  metrics: Record<string, number | null>;
}

/** Content of project.json. */
export interface ProjectFile {
  formatVersion: number;
  name: string;
  kind: ProjectKind;
  classes: ProjectClass[];
  samples: Sample[];
  settings: ProjectSettings;
  models: ModelVersionEntry[];
}

/** An open project: its folder plus the content of its project.json. */
export interface Project extends ProjectFile {
  readonly dir: string;
}

type Json = Record<string, unknown>;

/** A project.json field that does not match the schema; `field` is its path, such as `samples[3].sha256`. */
class FieldError extends Error {
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

function fail(field: string, expected: string, value: unknown): never {
  const printed = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
  throw new FieldError(field, `field "${field}" must be ${expected}, got ${printed}`);
}

function object(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'an object', value);
  return value as Json;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, 'a non-empty string', value);
  return value as string;
}

function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) fail(field, 'an array', value);
  return value as unknown[];
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

function parseClass(value: unknown, field: string): ProjectClass {
  const json = object(value, field);
  return { id: string(json.id, `${field}.id`), name: string(json.name, `${field}.name`) };
}

function parseSample(value: unknown, field: string, classIds: Set<string>): Sample {
  const json = object(value, field);
  const sample: Sample = {
    id: string(json.id, `${field}.id`),
    classId: string(json.classId, `${field}.classId`),
    file: string(json.file, `${field}.file`),
    sha256: string(json.sha256, `${field}.sha256`),
    addedAt: string(json.addedAt, `${field}.addedAt`),
  };
  if (!classIds.has(sample.classId)) fail(`${field}.classId`, `the id of a class in "classes"`, sample.classId);
  if (!SHA256_PATTERN.test(sample.sha256)) fail(`${field}.sha256`, 'a SHA-256 digest (64 lowercase hex digits)', sample.sha256);
  if (sample.file.startsWith('/') || sample.file.split('/').includes('..')) fail(`${field}.file`, 'a path inside the project folder', sample.file);
  if (json.session !== undefined) sample.session = string(json.session, `${field}.session`);
  return sample;
}

function parseSettings(value: unknown, field: string): ProjectSettings {
  const json = object(value, field);
  return { base: string(json.base, `${field}.base`), training: object(json.training ?? {}, `${field}.training`) as TrainingSettingsInput };
}

function parseModel(value: unknown, field: string): ModelVersionEntry {
  const json = object(value, field);
  if (!Number.isInteger(json.version) || (json.version as number) < 1) fail(`${field}.version`, 'a positive integer', json.version);
  return {
    version: json.version as number,
    dir: string(json.dir, `${field}.dir`),
    createdAt: string(json.createdAt, `${field}.createdAt`),
    trainedOn: string(json.trainedOn, `${field}.trainedOn`),
    settings: parseSettings(json.settings, `${field}.settings`),
    metrics: object(json.metrics ?? {}, `${field}.metrics`) as ModelVersionEntry['metrics'],
  };
}

function uniqueIds(items: { id: string }[], field: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.id)) fail(`${field}[${index}].id`, 'unique', item.id);
    seen.add(item.id);
  });
}

function parseProjectFile(value: unknown): ProjectFile {
  const json = object(value, '(top level)');
  if (json.formatVersion !== PROJECT_FORMAT_VERSION) fail('formatVersion', `${PROJECT_FORMAT_VERSION}`, json.formatVersion);
  const kind = json.kind;
  if (!PROJECT_KINDS.includes(kind as ProjectKind)) fail('kind', `one of ${PROJECT_KINDS.join(', ')}`, kind);

  const classes = array(json.classes, 'classes').map((item, index) => parseClass(item, `classes[${index}]`));
  uniqueIds(classes, 'classes');
  const classIds = new Set(classes.map((item) => item.id));
  const samples = array(json.samples, 'samples').map((item, index) => parseSample(item, `samples[${index}]`, classIds));
  uniqueIds(samples, 'samples');
  const models = array(json.models ?? [], 'models').map((item, index) => parseModel(item, `models[${index}]`));

  return {
    formatVersion: PROJECT_FORMAT_VERSION,
    name: string(json.name, 'name'),
    kind: kind as ProjectKind,
    classes,
    samples,
    settings: parseSettings(json.settings, 'settings'),
    models,
  };
}

/**
 * Parses the text of a project.json. Throws an `invalid_input` error naming `file` and, for a
 * structural problem, the first invalid field (such as `samples[3].sha256`).
 */
export function parseProjectJson(text: string, file: string): ProjectFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EdgeTrainerError('invalid_input', `Invalid project file ${file}: it is not valid JSON (${(error as Error).message}).`, {
      path: file,
      hint: 'Restore project.json from a backup; Edge Trainer leaves the damaged file as it is.',
      key: 'project_json_invalid',
      params: { file },
      cause: error,
    });
  }
  try {
    return parseProjectFile(json);
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    throw new EdgeTrainerError('invalid_input', `Invalid project file ${file}: ${error.message}.`, {
      path: file,
      hint: 'Fix that field in project.json or restore it from a backup; Edge Trainer leaves the file as it is.',
      key: 'project_field_invalid',
      params: { file, field: error.field },
      cause: error,
    });
  }
}

/** Returns the project.json content of an open project, in a stable key order. */
export function toProjectFile(project: Project): ProjectFile {
  return {
    formatVersion: project.formatVersion,
    name: project.name,
    kind: project.kind,
    classes: project.classes,
    samples: project.samples,
    settings: project.settings,
    models: project.models,
  };
}
