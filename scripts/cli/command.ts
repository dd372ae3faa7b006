// The shape of one command. Each command lives in its own file under commands/ and is listed
// once in commands/index.ts; main.ts turns the list into commander subcommands.

import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import type { Translate } from './i18n.js';

/** JSON-serialisable result of a command, printed as the last stdout line under --json. */
export type CommandResult = Record<string, unknown> | unknown[];

export interface CliCommand {
  /** Name typed on the command line, such as `predict`. */
  readonly name: string;
  /** Adds the description, arguments and options; every user-visible string comes from `t`. */
  configure(command: Command, t: Translate): void;
  /**
   * Runs the command with commander's parsed `command.processedArgs` and `command.opts()`.
   * Prints its human-readable output through `context.print` and returns the JSON result.
   */
  run(context: CommandContext, command: Command): Promise<CommandResult>;
}
