// Leveled logger for the engine. Engine code logs through this module and never calls console
// directly, so the command line and the app decide where messages go.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVEL_RANK: Readonly<Record<LogLevel, number>> = Object.freeze({
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 100,
});

export type LogSink = (level: Exclude<LogLevel, 'silent'>, message: string) => void;

function parseLevel(value: string | undefined): LogLevel {
  if (value !== undefined && value in LEVEL_RANK) return value as LogLevel;
  return 'warn';
}

let currentLevel: LogLevel = parseLevel(process.env.EDGE_TRAINER_LOG_LEVEL);
let sink: LogSink = (level, message) => {
  process.stderr.write(`[edge-trainer] ${level}: ${message}\n`);
};

export function setLogLevel(level: LogLevel): void {
  currentLevel = level;
}

export function setLogSink(next: LogSink): void {
  sink = next;
}

function emit(level: Exclude<LogLevel, 'silent'>, message: string): void {
  if (LEVEL_RANK[level] >= LEVEL_RANK[currentLevel]) sink(level, message);
}

export const logger = Object.freeze({
  debug: (message: string) => emit('debug', message),
  info: (message: string) => emit('info', message),
  warn: (message: string) => emit('warn', message),
  error: (message: string) => emit('error', message),
});
