// Installs the pretrained bases into models/pretrained (or EDGE_TRAINER_MODELS) from a folder
// (--from), from Teachable Machine image exports (--from-tm-export, repeatable) or from a web
// server with the folder's layout (--url). USAGE below lists the options; without one,
// EDGE_TRAINER_MODELS_SOURCE is used as --from.

import { parseArgs } from 'node:util';
import { installBases, type InstallSource } from '../models/bases/install.js';
import { readVerifiedBase } from '../models/bases/load.js';
import { BASES } from '../models/bases/registry.js';
import { isEdgeTrainerError } from '../models/errors.js';
import { pretrainedDir } from '../models/paths.js';
import { EXIT_CODE_BY_ERROR, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli/exit-codes.js';

const USAGE = `Usage: npm run models:install -- --from DIR | --from-tm-export DIR [--from-tm-export DIR] | --url URL
  --from DIR            folder that contains ${Object.values(BASES).map((info) => info.dirName).join(' and ')}
  --from-tm-export DIR  Teachable Machine image export (model.json, weights.bin); installs the base it embeds
  --url URL             http(s) address that serves the same folders as --from DIR
Without an option, the folder in EDGE_TRAINER_MODELS_SOURCE is used as --from.
Bases are installed into ${pretrainedDir()} (set EDGE_TRAINER_MODELS to change it).`;

function parseSources(): InstallSource[] | null {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      'from-tm-export': { type: 'string', multiple: true },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;

  const sources: InstallSource[] = [];
  if (values.from) sources.push({ kind: 'dir', dir: values.from });
  for (const dir of values['from-tm-export'] ?? []) sources.push({ kind: 'tm-export', dir });
  if (values.url) sources.push({ kind: 'url', url: values.url });
  if (sources.length === 0 && process.env.EDGE_TRAINER_MODELS_SOURCE) sources.push({ kind: 'dir', dir: process.env.EDGE_TRAINER_MODELS_SOURCE });
  return sources;
}

async function run(): Promise<number> {
  let sources: InstallSource[] | null;
  try {
    sources = parseSources();
  } catch (error) {
    process.stderr.write(`Error: ${(error as Error).message}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  if (sources === null) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (sources.length === 0 || (sources.some((source) => source.kind !== 'tm-export') && sources.length > 1)) {
    process.stderr.write(`Error: give one source: --from, --url, or one or more --from-tm-export.\n${USAGE}\n`);
    return EXIT_USAGE;
  }

  for (const source of sources) {
    const installed = await installBases(source, { onProgress: (message) => process.stderr.write(`${message}\n`) });
    for (const base of installed) {
      process.stdout.write(base.status === 'installed' ? `installed ${base.id} into ${base.dir}\n` : `${base.id} is already installed in ${base.dir}\n`);
    }
  }

  const missing: string[] = [];
  for (const info of Object.values(BASES)) {
    await readVerifiedBase(info.id).catch(() => missing.push(info.id));
  }
  if (missing.length > 0) process.stdout.write(`Still not installed: ${missing.join(', ')}. Install them from a source that has them.\n`);
  return EXIT_OK;
}

try {
  process.exitCode = await run();
} catch (error) {
  if (isEdgeTrainerError(error)) {
    process.stderr.write(`Error: ${error.describe()}\n`);
    process.exitCode = EXIT_CODE_BY_ERROR[error.code] ?? EXIT_FAILURE;
  } else {
    process.stderr.write(`Error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = EXIT_FAILURE;
  }
}
