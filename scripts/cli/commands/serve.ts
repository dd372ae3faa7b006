// `edge-trainer serve`: serves the app in a browser over HTTP on 127.0.0.1, for machines where the
// Electron window cannot run. The first stdout line is the URL to open, with the session token;
// the server runs until Ctrl+C (SIGINT) or SIGTERM. The server itself is electron/server/.

import { startServe } from '../../../electron/server/serve.js';
import type { CliCommand } from '../command.js';
import { integerParser } from '../options.js';

interface ServeOptions {
  port?: number;
  project?: string;
  lan?: boolean;
}

function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serveCommand: CliCommand = {
  name: 'serve',

  configure(command, t) {
    command
      .description(t('serve_description'))
      .option('--port <number>', t('serve_option_port'), integerParser(t, 0, 65_535))
      .option('--project <dir>', t('serve_option_project'))
      .option('--lan', t('serve_option_lan'));
  },

  async run(context, command) {
    const options = command.opts<ServeOptions>();
    const server = await startServe({ port: options.port, projectDir: options.project, lan: options.lan === true });
    context.print(server.urlWithToken);
    if (server.joinCode !== undefined) context.note(context.t('serve_join_code', { code: server.joinCode }));
    context.note(context.t('serve_running'));
    const signal = await waitForStopSignal();
    await server.close();
    context.note(context.t('serve_stopped', { signal }));
    return { url: server.url, stoppedBy: signal };
  },
};
