// Options shared by several commands and the parsers for numeric values. A value that does not
// parse is a usage error (exit code 2) naming the option and the accepted range.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES } from '../../models/backend.js';
import type { Translate } from './i18n.js';

export interface JsonOptions {
  json?: boolean;
}

export interface ComputeOptions {
  backend?: string;
  seed?: number;
}

export interface BatchOptions {
  batchSize: number;
}

export function addJsonOption(command: Command, t: Translate): Command {
  return command.option('--json', t('option_json'));
}

/** Adds --backend (also EDGE_TRAINER_BACKEND) to a command that runs a model. */
export function addBackendOption(command: Command, t: Translate): Command {
  return command.addOption(new Option('--backend <name>', t('option_backend')).choices(BACKEND_NAMES).env('EDGE_TRAINER_BACKEND'));
}

/** Adds --backend and --seed to a command whose result depends on random numbers (training). */
export function addComputeOptions(command: Command, t: Translate): Command {
  return addBackendOption(command, t).option('--seed <n>', t('option_seed'), integerParser(t, 0, 2 ** 31 - 1));
}

/** Adds --batch-size, the number of images per model call. */
export function addBatchSizeOption(command: Command, t: Translate): Command {
  return command.option('--batch-size <n>', t('option_batch_size'), integerParser(t, 1, 1024), 16);
}

/** Returns a commander parser accepting whole numbers in [min, max]. */
export function integerParser(t: Translate, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(t('invalid_integer', { value, min, max }));
    }
    return number;
  };
}

/** Returns a commander parser accepting numbers in [min, max]. */
export function numberParser(t: Translate, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw new InvalidArgumentError(t('invalid_number', { value, min, max }));
    }
    return number;
  };
}
