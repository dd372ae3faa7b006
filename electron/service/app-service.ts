// The engine side of the app: one handler per API channel, over the engine's project, training,
// classifier and exporter modules. Electron's utility process and `edge-trainer serve` both run
// this; neither transport adds behaviour of its own.

import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EdgeTrainerError } from '../../models/errors.js';
import { assembleClassifier, loadClassifier, METADATA_JSON, saveClassifierDir } from '../../models/classifier/index.js';
import { MODEL_JSON } from '../../models/io/layers-dir.js';
import { formatReportJson, type TrainingReport } from '../../models/evaluation/report.js';
import { renderReportSvg } from '../../models/evaluation/svg.js';
import { formatReportText } from '../../models/evaluation/text.js';
import { logger } from '../../models/log.js';
import {
  addClass,
  addModelVersion,
  addSamples,
  createProject,
  deleteClass,
  deleteSample,
  importFolder,
  modelVersionDir,
  openProject,
  renameClass,
  reorderClasses,
  saveProject,
  type Project,
} from '../../models/project/index.js';
import { trainClassifier } from '../../models/training/train.js';
import type { ApiHandlers, JobContext } from '../api/handlers.js';
import type { AppInfo, ExportEstimateView, ExportRequest, ExportResultView, ModelReportView, ProjectView, TrainResultView, TrainSettings } from '../api/types.js';
import { resolveInside } from '../server/static-files.js';
import { projectCalibrationInputs } from './calibration.js';
import { createExportDir, EXPORT_FORMATS, listWrittenFiles, type BuiltExport } from './export-formats.js';
import { Predictor } from './predictor.js';
import { toEvaluationView, toProjectView, toSkippedView } from './project-view.js';
import { readRecent, rememberRecent } from './recent.js';
import { toTrainingInput } from './settings-map.js';

export interface ServiceOptions {
  version: string;
  transport: AppInfo['transport'];
  /** Folder for app state such as the recent-projects list. */
  configDir: string;
  /** Default parent folder of new projects. */
  workspaceDir: string;
  /** Project to open at start. */
  startProjectDir?: string;
}

/** Copies model.json, metadata.json and the weight files model.json lists from `from` to `to`. */
async function copyModelFiles(from: string, to: string): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(from, MODEL_JSON), 'utf8')) as { weightsManifest?: { paths?: string[] }[] };
  const weightFiles = (manifest.weightsManifest ?? []).flatMap((group) => group.paths ?? []);
  for (const name of [MODEL_JSON, METADATA_JSON, ...weightFiles]) {
    const target = resolveInside(to, name);
    if (target === undefined) throw new EdgeTrainerError('corrupt_model', `model.json lists a weight file outside its folder: ${name}.`, { path: path.join(from, MODEL_JSON) });
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(from, name), target);
  }
}

export class AppService {
  readonly #options: ServiceOptions;
  readonly #predictor = new Predictor();
  #project: Project | undefined;
  #training = false;
  /** The last export built in memory, kept so that saving after an estimate does not build again. */
  #lastBuild: { key: string; built: BuiltExport } | undefined;
  /** Tail of the chain that runs project edits one at a time, so project.json writes never interleave. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ServiceOptions) {
    this.#options = options;
  }

  /** Folder of the open project, or undefined. */
  get projectDir(): string | undefined {
    return this.#project?.dir;
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #requireProject(): Project {
    if (this.#project === undefined) {
      throw new EdgeTrainerError('invalid_argument', 'No project is open.', { hint: 'Create or open a project on the Home screen first.' });
    }
    return this.#project;
  }

  /** A project edit: rejected while training reads the project, serialized otherwise. */
  #edit(work: (project: Project) => Promise<ProjectView>): Promise<ProjectView> {
    if (this.#training) {
      return Promise.reject(new EdgeTrainerError('invalid_argument', 'The project cannot change while a model trains.', { hint: 'Wait for training to finish or cancel it.' }));
    }
    return this.#exclusive(() => work(this.#requireProject()));
  }

  async #setProject(project: Project): Promise<ProjectView> {
    this.#project = project;
    this.#predictor.reset();
    await rememberRecent(this.#options.configDir, project.dir).catch((error: unknown) => logger.warn(`recent list not updated: ${(error as Error).message}`));
    return toProjectView(project);
  }

  #latestModelDir(project: Project): string {
    const entry = project.models.at(-1);
    if (entry === undefined) throw new EdgeTrainerError('not_found', `Project ${project.name} has no trained model yet.`, { hint: 'Train a model on the Train screen first.' });
    return modelVersionDir(project, entry);
  }

  async #train(settings: TrainSettings, context: JobContext): Promise<TrainResultView> {
    const project = this.#requireProject();
    project.settings.training = toTrainingInput(settings, project.settings.training);
    await saveProject(project);

    const result = await trainClassifier(project, {}, { onProgress: context.onProgress, signal: context.signal });
    context.onProgress({ stage: 'saving', done: 0, total: 1 });
    const model = await assembleClassifier(result.baseId, result.head);
    try {
      const { report } = result;
      const entry = await addModelVersion(project, {
        metrics: { trainAccuracy: report.train.accuracy, valAccuracy: report.validation?.accuracy ?? null },
        write: (dir) =>
          saveClassifierDir(
            {
              model,
              labels: result.labels,
              baseId: result.baseId,
              report: { trainAccuracy: report.train.accuracy, valAccuracy: report.validation?.accuracy ?? null, epochs: report.history.length },
              modelName: project.name,
              extraFiles: { 'report.json': formatReportJson(report), 'report.txt': formatReportText(report), 'report.svg': renderReportSvg(report) },
            },
            dir,
          ),
      });
      context.onProgress({ stage: 'saving', done: 1, total: 1 });
      this.#predictor.reset();
      return {
        version: entry.version,
        history: result.history.map(({ loss, accuracy, valLoss, valAccuracy }) => ({ loss, accuracy, valLoss, valAccuracy })),
        evaluation: toEvaluationView(project, result.labels, result.evaluation),
        project: toProjectView(project),
      };
    } finally {
      model.dispose();
      result.head.dispose();
    }
  }

  async #latestReport(): Promise<ModelReportView | null> {
    const project = this.#requireProject();
    const entry = project.models.at(-1);
    if (entry === undefined) return null;
    let report: TrainingReport;
    try {
      report = JSON.parse(await readFile(path.join(modelVersionDir(project, entry), 'report.json'), 'utf8')) as TrainingReport;
    } catch (error) {
      // Imported Teachable Machine models and interrupted saves have no report: nothing to show.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new EdgeTrainerError('invalid_input', `Cannot read the training report of model v${entry.version}: ${(error as Error).message}`, {
        path: path.join(modelVersionDir(project, entry), 'report.json'),
        hint: 'Train again to write a new report; the model itself is unaffected.',
      });
    }
    return {
      version: entry.version,
      history: report.history.map(({ loss, accuracy, valLoss, valAccuracy }) => ({ loss, accuracy, valLoss, valAccuracy })),
      evaluation: toEvaluationView(project, report.labels, report.validation),
    };
  }

  async #importTeachableMachine(modelDir: string, dir: string, name: string): Promise<ProjectView> {
    // Loading first checks that the folder is an image model before any project is created.
    const classifier = await loadClassifier(modelDir);
    classifier.model.dispose();
    const project = await createProject(dir, { name, base: classifier.baseId ?? undefined });
    for (const label of classifier.labels) await addClass(project, label);
    // The imported model becomes version 1, so Preview and Export work before any training. Only the
    // model files are copied: TM folders may also contain samples and notes.
    await addModelVersion(project, { metrics: {}, write: (target) => copyModelFiles(modelDir, target) });
    return this.#setProject(project);
  }

  /** Builds an export in memory, reusing the last build when format, options and model match. */
  async #buildExport(request: ExportRequest, context: JobContext): Promise<{ built: BuiltExport; version: number }> {
    const project = this.#requireProject();
    const exporter = EXPORT_FORMATS[request.format];
    if (exporter === undefined) {
      throw new EdgeTrainerError('invalid_argument', `Unknown export format "${request.format}".`, { hint: `Use one of: ${Object.keys(EXPORT_FORMATS).join(', ')}.` });
    }
    const entry = project.models.at(-1);
    const modelDir = this.#latestModelDir(project);
    const key = JSON.stringify([project.dir, entry?.version, entry?.createdAt, request.format, request.variant ?? null, request.board ?? null, request.customFlashKb ?? null, request.customRamKb ?? null]);
    if (this.#lastBuild?.key === key) return { built: this.#lastBuild.built, version: entry?.version ?? 0 };

    this.#lastBuild = undefined;
    const classifier = await loadClassifier(modelDir);
    try {
      const built = await exporter.build({
        classifier,
        variant: request.variant,
        board: request.board,
        customFlashKb: request.customFlashKb,
        customRamKb: request.customRamKb,
        calibration: () => projectCalibrationInputs(project, classifier.input, (done, total) => context.onProgress({ stage: 'embedding', done, total }), context.signal),
        onProgress: (done, total) => context.onProgress({ stage: 'saving', done, total }),
      });
      this.#lastBuild = { key, built };
      return { built, version: entry?.version ?? 0 };
    } finally {
      classifier.model.dispose();
    }
  }

  async #estimate(request: ExportRequest, context: JobContext): Promise<ExportEstimateView> {
    const { built } = await this.#buildExport(request, context);
    return { format: request.format, variant: request.variant, board: request.board, sizeBytes: built.sizeBytes, fit: built.fit };
  }

  async #export(request: ExportRequest, context: JobContext): Promise<ExportResultView> {
    const project = this.#requireProject();
    const { built, version } = await this.#buildExport(request, context);
    const outDir = await createExportDir(project.dir, [request.format, request.variant, request.board, `v${version}`].filter(Boolean).join('-'));
    await built.write(outDir);
    return {
      format: request.format,
      variant: request.variant,
      dir: path.relative(project.dir, outDir).split(path.sep).join('/'),
      files: await listWrittenFiles(project.dir, outDir),
      fit: built.fit,
    };
  }

  /** The handler table both transports dispatch to. */
  handlers(): ApiHandlers {
    return Object.freeze<ApiHandlers>({
      'app:info': async () => ({
        version: this.#options.version,
        transport: this.#options.transport,
        workspaceDir: this.#options.workspaceDir,
        startProjectDir: this.#options.startProjectDir,
      }),
      'project:create': ({ dir, name, baseId }) =>
        this.#exclusive(async () => {
          await mkdir(path.dirname(path.resolve(dir)), { recursive: true });
          return this.#setProject(await createProject(dir, { name, base: baseId }));
        }),
      'project:open': ({ dir }) => this.#exclusive(async () => this.#setProject(await openProject(dir))),
      'project:recent': () => readRecent(this.#options.configDir),
      'project:import-folder': ({ sourceDir, dir, name }, context) =>
        this.#exclusive(async () => {
          const result = await importFolder(sourceDir, dir, {
            name,
            signal: context.signal,
            onProgress: (done, total) => context.onProgress({ stage: 'embedding', done, total }),
          });
          const view = await this.#setProject(result.project);
          return result.skipped.length > 0 ? { ...view, skipped: result.skipped.map(toSkippedView) } : view;
        }),
      'project:import-tm': ({ modelDir, dir, name }) => this.#exclusive(() => this.#importTeachableMachine(modelDir, dir, name)),
      'project:update-settings': ({ settings }) =>
        this.#edit(async (project) => {
          project.settings.training = toTrainingInput(settings, project.settings.training);
          await saveProject(project);
          return toProjectView(project);
        }),
      'class:add': ({ name }) =>
        this.#edit(async (project) => {
          await addClass(project, name);
          return toProjectView(project);
        }),
      'class:rename': ({ classId, name }) =>
        this.#edit(async (project) => {
          await renameClass(project, classId, name);
          return toProjectView(project);
        }),
      'class:delete': ({ classId }) =>
        this.#edit(async (project) => {
          await deleteClass(project, classId);
          return toProjectView(project);
        }),
      'class:reorder': ({ classIds }) =>
        this.#edit(async (project) => {
          await reorderClasses(project, classIds);
          return toProjectView(project);
        }),
      'sample:add': ({ classId, files, session }) =>
        this.#edit(async (project) => {
          const result = await addSamples(project, classId, files.map((file) => ({ name: file.name, bytes: file.bytes })), { session });
          return toProjectView(project, result.skipped);
        }),
      'sample:add-paths': ({ classId, paths }) =>
        this.#edit(async (project) => {
          const result = await addSamples(project, classId, paths);
          return toProjectView(project, result.skipped);
        }),
      'sample:delete': ({ sampleIds }) =>
        this.#edit(async (project) => {
          for (const id of sampleIds) await deleteSample(project, id);
          return toProjectView(project);
        }),
      'train:start': ({ settings }, context) => {
        if (this.#training) return Promise.reject(new EdgeTrainerError('invalid_argument', 'A model is already training.', { hint: 'Wait for it to finish or cancel it.' }));
        return this.#exclusive(async () => {
          this.#training = true;
          try {
            return await this.#train(settings, context);
          } finally {
            this.#training = false;
          }
        });
      },
      'model:latest-report': async () => this.#latestReport(),
      'predict:image': async ({ image }) => this.#predictor.predict(this.#latestModelDir(this.#requireProject()), image),
      'export:formats': async () => Object.entries(EXPORT_FORMATS).map(([id, format]) => ({ id, variants: [...format.variants], boards: [...format.boards] })),
      'export:estimate': (request, context) => this.#exclusive(() => this.#estimate(request, context)),
      'export:run': (request, context) => this.#exclusive(() => this.#export(request, context)),
    });
  }
}
