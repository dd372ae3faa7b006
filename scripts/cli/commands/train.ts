// `edge-trainer train SOURCE --out MODEL_DIR`: trains a classifier on a folder of class folders
// or on a project, and writes a Teachable Machine-compatible model folder with report.json,
// report.txt and report.svg beside the model.

import { InvalidArgumentError, Option } from 'commander';
import { assembleClassifier } from '../../../models/classifier/assemble.js';
import { saveClassifierDir } from '../../../models/classifier/save.js';
import { baseIds } from '../../../models/bases/registry.js';
import { EdgeTrainerError } from '../../../models/errors.js';
import { formatReportJson, type TrainingReport } from '../../../models/evaluation/report.js';
import { renderReportSvg } from '../../../models/evaluation/svg.js';
import { formatReportText } from '../../../models/evaluation/text.js';
import { openProject, pathExists, projectFilePath } from '../../../models/project/project.js';
import type { Project } from '../../../models/project/schema.js';
import { addModelVersion, modelVersionDir } from '../../../models/project/versions.js';
import { OPTIMIZER_NAMES } from '../../../models/training/optimizers.js';
import type { TrainingSettingsInput } from '../../../models/training/options.js';
import type { TrainingSampleInput } from '../../../models/training/samples.js';
import { type TrainProgress, trainClassifier } from '../../../models/training/train.js';
import type { CliCommand } from '../command.js';
import type { CommandContext } from '../context.js';
import type { Translate } from '../i18n.js';
import { formatPercent } from '../format.js';
import { readClassFolderSamples } from '../image-files.js';
import { addComputeOptions, addJsonOption, type ComputeOptions, integerParser, type JsonOptions, numberParser } from '../options.js';
import type { Progress } from '../progress.js';

interface TrainCommandOptions extends ComputeOptions, JsonOptions {
  out?: string;
  base?: string;
  epochs?: number;
  batchSize?: number | 'full';
  learningRate?: number;
  optimizer?: TrainingSettingsInput['optimizer'];
  hiddenUnits?: number;
  dropout?: number;
  labelSmoothing?: number;
  classWeights?: 'none' | 'balanced';
  validationFraction?: number;
  earlyStopping?: number;
  augment?: number;
  cacheDir?: string;
}

/** Headline numbers stored in metadata.json, project.json and the --json result. */
function summarize(report: TrainingReport): Record<string, number | null> {
  return {
    trainAccuracy: report.train.accuracy,
    valAccuracy: report.validation?.accuracy ?? null,
    trainCount: report.split.trainCount,
    validationCount: report.split.validationCount,
    epochs: report.finalEpoch,
    seed: report.settings.seed,
  };
}

/** Training knobs given on the command line; the others keep the project's or TM's defaults. */
function knobsFrom(options: TrainCommandOptions): TrainingSettingsInput {
  const knobs: TrainingSettingsInput = {};
  if (options.epochs !== undefined) knobs.epochs = options.epochs;
  if (options.batchSize !== undefined) knobs.batchSize = options.batchSize;
  if (options.learningRate !== undefined) knobs.learningRate = options.learningRate;
  if (options.optimizer !== undefined) knobs.optimizer = options.optimizer;
  if (options.hiddenUnits !== undefined) knobs.hiddenUnits = options.hiddenUnits;
  if (options.dropout !== undefined) knobs.dropout = options.dropout;
  if (options.labelSmoothing !== undefined) knobs.labelSmoothing = options.labelSmoothing;
  if (options.classWeights !== undefined) knobs.classWeights = options.classWeights;
  if (options.validationFraction !== undefined) knobs.validationFraction = options.validationFraction;
  if (options.seed !== undefined) knobs.seed = options.seed;
  if (options.earlyStopping !== undefined) knobs.earlyStopping = { patience: options.earlyStopping };
  if (options.augment !== undefined) knobs.augmentation = { copies: options.augment };
  return knobs;
}

/** Shows one progress bar per stage (embedding, then epochs), replacing the previous one. */
function stageProgress(context: CommandContext): { update(progress: TrainProgress): void; stop(): void } {
  let stage: TrainProgress['stage'] | undefined;
  let bar: Progress | undefined;
  return {
    update(progress) {
      if (progress.stage !== stage) {
        bar?.stop();
        stage = progress.stage;
        bar = context.progress(context.t(stage === 'embedding' ? 'train_progress_embedding' : 'train_progress_training'), progress.total);
      }
      const logs = progress.logs;
      const detail = logs
        ? `loss ${logs.loss.toFixed(3)} acc ${formatPercent(logs.accuracy)}${logs.valAccuracy === null ? '' : ` val ${formatPercent(logs.valAccuracy)}`}`
        : undefined;
      bar?.update(progress.done, detail);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function batchSizeParser(t: Translate): (value: string) => number | 'full' {
  return (value) => {
    if (value === 'full') return 'full';
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError(t('invalid_batch_size', { value }));
    return number;
  };
}

export const trainCommand: CliCommand = {
  name: 'train',

  configure(command, t) {
    command
      .description(t('train_description'))
      .argument('<source>', t('argument_train_source'))
      .option('--out <dir>', t('option_out'))
      .addOption(new Option('--base <id>', t('option_base')).choices(baseIds()))
      .option('--epochs <n>', t('option_epochs'), integerParser(t, 1, 100_000))
      .option('--batch-size <n>', t('option_train_batch_size'), batchSizeParser(t))
      .option('--learning-rate <rate>', t('option_learning_rate'), numberParser(t, Number.MIN_VALUE, 10))
      .addOption(new Option('--optimizer <name>', t('option_optimizer')).choices(OPTIMIZER_NAMES))
      .option('--hidden-units <n>', t('option_hidden_units'), integerParser(t, 1, 10_000))
      .option('--dropout <rate>', t('option_dropout'), numberParser(t, 0, 0.95))
      .option('--label-smoothing <factor>', t('option_label_smoothing'), numberParser(t, 0, 0.99))
      .addOption(new Option('--class-weights <mode>', t('option_class_weights')).choices(['none', 'balanced']))
      .option('--validation-fraction <fraction>', t('option_validation_fraction'), numberParser(t, 0, 0.9))
      .option('--early-stopping <patience>', t('option_early_stopping'), integerParser(t, 1, 100_000))
      .option('--augment <copies>', t('option_augment'), integerParser(t, 0, 16))
      .option('--cache-dir <dir>', t('option_cache_dir'));
    addComputeOptions(command, t);
    addJsonOption(command, t);
  },

  async run(context, command) {
    const t = context.t;
    const [sourcePath] = command.processedArgs as [string];
    const options = command.opts<TrainCommandOptions>();

    const isProject = await pathExists(projectFilePath(sourcePath));
    if (!isProject && options.out === undefined) {
      throw new EdgeTrainerError('invalid_argument', t('train_out_required'), { hint: t('train_out_hint') });
    }
    const project: Project | undefined = isProject ? await openProject(sourcePath) : undefined;
    const source: Project | TrainingSampleInput[] = project ?? (await readClassFolderSamples(sourcePath));
    const backend = await context.useBackend(options.backend);

    // Ctrl-C stops training between batches; nothing is written then.
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    const progress = stageProgress(context);
    let result;
    try {
      result = await trainClassifier(
        source,
        { ...knobsFrom(options), base: options.base, cacheDir: options.cacheDir },
        { signal: controller.signal, onProgress: (update) => progress.update(update) },
      );
    } finally {
      progress.stop();
      process.removeListener('SIGINT', onInterrupt);
    }

    const { report } = result;
    const summary = summarize(report);
    const model = await assembleClassifier(result.baseId, result.head);
    const request = {
      model,
      labels: result.labels,
      baseId: result.baseId,
      report: summary,
      extraFiles: { 'report.json': formatReportJson(report), 'report.txt': formatReportText(report), 'report.svg': renderReportSvg(report) },
    };
    let outDir: string;
    try {
      if (options.out !== undefined) {
        await saveClassifierDir(request, options.out);
        outDir = options.out;
      } else {
        const entry = await addModelVersion(project as Project, { metrics: summary, write: (dir) => saveClassifierDir(request, dir) });
        outDir = modelVersionDir(project as Project, entry);
      }
    } finally {
      model.dispose();
    }

    for (const skipped of report.skipped) context.note(t('train_skipped', { reason: skipped.reason }));
    context.print(t('train_train_accuracy', { accuracy: formatPercent(report.train.accuracy), count: report.split.trainCount }));
    context.print(
      report.validation
        ? t('train_val_accuracy', { accuracy: formatPercent(report.validation.accuracy), count: report.split.validationCount })
        : t('train_no_validation'),
    );
    context.print(t('train_written', { dir: outDir }));

    return {
      out: outDir,
      baseId: result.baseId,
      backend,
      classes: result.labels,
      ...summary,
      skipped: report.skipped,
    };
  },
};
