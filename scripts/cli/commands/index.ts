// Every command of `edge-trainer`, in the order `--help` lists them. To add a command, write
// commands/NAME.ts exporting a CliCommand, add its strings to both locale files, and add it here.

import type { CliCommand } from '../command.js';
import { basesCommand } from './bases.js';
import { evalCommand } from './eval.js';
import { exportCommand } from './export.js';
import { infoCommand } from './info.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { trainCommand } from './train.js';

export const COMMANDS: readonly CliCommand[] = Object.freeze([
  trainCommand,
  predictCommand,
  evalCommand,
  exportCommand,
  infoCommand,
  basesCommand,
  serveCommand,
]);
