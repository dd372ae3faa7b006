// Runs the real `edge-trainer` bin as a child process, as a user or the app would.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../models/paths.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

const BIN = path.join(PROJECT_ROOT, 'scripts', 'edge-trainer.js');

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', EDGE_TRAINER_DEBUG: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Parses the last non-empty stdout line, which --json promises is one JSON object. */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}
