// Wiring of `edge-trainer serve`: the app service behind the HTTP transport, with the renderer
// build, the configuration folder and the default workspace resolved from the environment.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { EdgeTrainerError } from '../../models/errors.js';
import { logger } from '../../models/log.js';
import { PROJECT_ROOT } from '../../models/paths.js';
import { AppService } from '../service/app-service.js';
import { startHttpServer, type RunningServer } from './http-server.js';

export interface ServeRequest {
  port?: number;
  /** Project folder to open at start. */
  projectDir?: string;
  lan?: boolean;
}

/** Built renderer: EDGE_TRAINER_RENDERER_DIR, default dist/renderer (made by `npm run build:renderer`). */
export function rendererDir(): string {
  return path.resolve(process.env.EDGE_TRAINER_RENDERER_DIR ?? path.join(PROJECT_ROOT, 'dist', 'renderer'));
}

/** App state such as the recent list: EDGE_TRAINER_CONFIG_DIR, default ~/.config/edge-trainer. */
export function configDir(): string {
  return path.resolve(process.env.EDGE_TRAINER_CONFIG_DIR ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'edge-trainer'));
}

/** Default parent of new projects: EDGE_TRAINER_WORKSPACE, default ~/EdgeTrainer. */
export function workspaceDir(): string {
  return path.resolve(process.env.EDGE_TRAINER_WORKSPACE ?? path.join(homedir(), 'EdgeTrainer'));
}

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? '0.0.0';
}

export async function startServe(request: ServeRequest): Promise<RunningServer> {
  const renderer = rendererDir();
  if (!existsSync(path.join(renderer, 'index.html'))) {
    throw new EdgeTrainerError('not_found', `The app's web files are missing: ${path.join(renderer, 'index.html')} does not exist.`, {
      path: renderer,
      hint: 'Build them once with: npm run build:renderer',
    });
  }
  const service = new AppService({
    version: packageVersion(),
    transport: 'http',
    configDir: configDir(),
    workspaceDir: workspaceDir(),
    startProjectDir: request.projectDir === undefined ? undefined : path.resolve(request.projectDir),
  });
  return startHttpServer({
    handlers: service.handlers(),
    rendererDir: renderer,
    projectDir: () => service.projectDir,
    port: request.port,
    lan: request.lan,
    log: (level, message) => logger[level](`serve: ${message}`),
  });
}
