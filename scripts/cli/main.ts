// Entry point of the `edge-trainer` command line: picks the language, builds the commander
// program from the command table, runs it and turns every failure into a message and an exit code.

import { Command, CommanderError } from 'commander';
import { isEdgeTrainerError } from '../../models/errors.js';
import { setLogLevel, setLogSink } from '../../models/log.js';
import { COMMANDS } from './commands/index.js';
import { type CliIo, CommandContext } from './context.js';
import { engineErrorText } from './error-text.js';
import { EXIT_CODE_BY_ERROR, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { createTranslator, isLanguage, type Language, languageFromEnvironment, LANGUAGES, type MessageKey, type Translate } from './i18n.js';

const PROGRAM_NAME = 'edge-trainer';

/** commander's help headings, translated through styleTitle. */
const HELP_TITLE_KEYS: Readonly<Record<string, MessageKey>> = Object.freeze({
  'Usage:': 'help_title_usage',
  'Options:': 'help_title_options',
  'Arguments:': 'help_title_arguments',
  'Commands:': 'help_title_commands',
  'Global Options:': 'help_title_global_options',
});

/** commander's usage errors, by error code; `{detail}` receives the quoted part of its message. */
const COMMANDER_ERROR_KEYS: Readonly<Record<string, MessageKey>> = Object.freeze({
  'commander.unknownOption': 'usage_unknown_option',
  'commander.unknownCommand': 'usage_unknown_command',
  'commander.missingArgument': 'usage_missing_argument',
  'commander.optionMissingArgument': 'usage_option_missing_argument',
  'commander.missingMandatoryOptionValue': 'usage_missing_option',
  'commander.excessArguments': 'usage_excess_arguments',
  'commander.invalidArgument': 'usage_invalid_argument',
  'commander.conflictingOption': 'usage_conflicting_option',
});

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** Finds the value of --lang before commander runs, because help text is built in that language. */
function findLanguageArgument(argv: readonly string[]): string | undefined {
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--') return undefined;
    if (argument === '--lang') return argv[index + 1] ?? '';
    if (argument.startsWith('--lang=')) return argument.slice('--lang='.length);
  }
  return undefined;
}

function buildProgram(t: Translate, io: CliIo, language: Language, json: boolean, onFinished: (context: CommandContext) => void): Command {
  const program = new Command(PROGRAM_NAME)
    .description(t('program_description'))
    .option('--lang <language>', t('option_lang', { languages: LANGUAGES.join(', ') }))
    .helpOption('-h, --help', t('option_help'))
    .helpCommand('help [command]', t('command_help'))
    .configureHelp({ styleTitle: (title) => (title in HELP_TITLE_KEYS ? t(HELP_TITLE_KEYS[title]) : title) })
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // Usage errors are printed translated by reportError instead.
      outputError: () => {},
    })
    .exitOverride()
    .showSuggestionAfterError(false);

  for (const spec of COMMANDS) {
    const command = program.command(spec.name);
    spec.configure(command, t);
    command.action(async (...parameters: unknown[]) => {
      const self = parameters[parameters.length - 1] as Command;
      const context = new CommandContext(io, t, language, json);
      const result = await spec.run(context, self);
      if (json) io.stdout.write(`${JSON.stringify(result)}\n`);
      onFinished(context);
    });
  }
  return program;
}

/** Quoted fragments of a commander message ('--foo', 'bar'), which name what was wrong. */
function quotedParts(message: string): string {
  const parts = message.match(/'[^']*'/g);
  return parts ? parts.join(', ') : message.replace(/^error:\s*/, '');
}

/**
 * Parameters for a translated commander error. An invalid value's message reads
 * "error: option '--x <n>' argument 'v' is invalid. REASON", where REASON comes from our parser
 * (already translated) or from commander's choices check.
 */
function commanderErrorParams(message: string, t: Translate): { detail: string; reason: string } {
  const marker = ' is invalid. ';
  const split = message.indexOf(marker);
  const reason = split < 0 ? '' : message.slice(split + marker.length).trim();
  return { detail: quotedParts(split < 0 ? message : message.slice(0, split)), reason: reason || t('usage_invalid_value') };
}

function reportError(error: unknown, io: CliIo, t: Translate, language: Language, json: boolean, debug: boolean): number {
  let exitCode = EXIT_FAILURE;
  let code = 'internal';
  let message: string;
  let hint: string | undefined;
  let file: string | undefined;

  if (isEdgeTrainerError(error)) {
    exitCode = EXIT_CODE_BY_ERROR[error.code] ?? EXIT_FAILURE;
    code = error.code;
    ({ message, hint } = engineErrorText(error, t, language));
    file = error.path;
  } else if (error instanceof CommanderError) {
    exitCode = EXIT_USAGE;
    code = 'invalid_argument';
    const key = COMMANDER_ERROR_KEYS[error.code];
    message = key ? t(key, commanderErrorParams(error.message, t)) : error.message.replace(/^error:\s*/, '');
    hint = t('usage_hint', { program: PROGRAM_NAME });
  } else {
    message = error instanceof Error ? error.message : String(error);
    hint = t('internal_error_hint');
  }

  io.stderr.write(`${t('error_prefix')} ${message}\n`);
  if (hint) io.stderr.write(`  ${hint}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  if (json) {
    const detail = isEdgeTrainerError(error) ? error.message : message;
    io.stdout.write(`${JSON.stringify({ error: { code, message: detail, file: file ?? null, hint: hint ?? null, exitCode } })}\n`);
  }
  return exitCode;
}

/** Runs the command line on `argv` (without the node and script paths) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  const debug = io.env.EDGE_TRAINER_DEBUG === '1';
  if (debug) setLogLevel('debug');
  setLogSink((level, message) => io.stderr.write(`[${level}] ${message}\n`));

  const json = argv.includes('--json');
  const requested = findLanguageArgument(argv);
  const language: Language = requested !== undefined && isLanguage(requested) ? requested : languageFromEnvironment(io.env);
  const t = createTranslator(language);
  if (requested !== undefined && !isLanguage(requested)) {
    io.stderr.write(`${t('error_prefix')} ${t('invalid_language', { value: requested, languages: LANGUAGES.join(', ') })}\n`);
    return EXIT_USAGE;
  }

  let exitCode = EXIT_OK;
  const program = buildProgram(t, io, language, json, (context) => {
    exitCode = context.exitCode;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // --help and --version end parsing through a CommanderError with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT_OK;
    if (error instanceof CommanderError && error.code === 'commander.help') return EXIT_USAGE;
    return reportError(error, io, t, language, json, debug);
  }
}
