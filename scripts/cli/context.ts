// Services the framework gives each command: the translator, the output channels, and helpers
// for backend selection and progress. Commands never write to process.stdout or stderr themselves.

import { activeBackend, type BackendName, initBackend } from '../../models/backend.js';
import { EXIT_OK } from './exit-codes.js';
import type { Language, Translate } from './i18n.js';
import { type Progress, type ProgressStream, startProgress } from './progress.js';

export interface CliIo {
  stdout: ProgressStream;
  stderr: ProgressStream;
  env: NodeJS.ProcessEnv;
}

export class CommandContext {
  readonly t: Translate;
  readonly language: Language;
  /** Whether --json was given: stdout then carries only the result object, as its last line. */
  readonly json: boolean;
  /** Exit code after a run that printed its result; a command sets it when some inputs failed. */
  exitCode: number = EXIT_OK;
  readonly #io: CliIo;

  constructor(io: CliIo, t: Translate, language: Language, json: boolean) {
    this.#io = io;
    this.t = t;
    this.language = language;
    this.json = json;
  }

  /** Writes a line of the human-readable result: to stdout, or to stderr under --json. */
  print(line: string): void {
    (this.json ? this.#io.stderr : this.#io.stdout).write(`${line}\n`);
  }

  /** Writes a status line (backend, step finished, warning) to stderr. */
  note(line: string): void {
    this.#io.stderr.write(`${line}\n`);
  }

  progress(label: string, total: number): Progress {
    return startProgress(label, total, this.#io.stderr);
  }

  /**
   * Activates the backend named by --backend (or EDGE_TRAINER_BACKEND, else auto) and prints
   * which one runs, since speed differs a hundredfold between them.
   */
  async useBackend(request: string | undefined): Promise<BackendName> {
    const name = await initBackend(request ?? this.#io.env.EDGE_TRAINER_BACKEND);
    if (name === 'onnx') this.note(this.t('backend_active_onnx', { training: activeBackend() ?? 'none' }));
    else this.note(this.t('backend_active', { name }));
    return name;
  }
}
