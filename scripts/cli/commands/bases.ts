// `edge-trainer bases`: lists the pretrained bases and whether each is installed with the
// expected weights, so a user can check the setup before training.

import { baseDir, INSTALL_COMMAND, readVerifiedBase } from '../../../models/bases/load.js';
import { BASES } from '../../../models/bases/registry.js';
import { hasModelJson } from '../../../models/io/layers-dir.js';
import type { CliCommand } from '../command.js';
import type { MessageKey } from '../i18n.js';
import { addJsonOption } from '../options.js';

type BaseStatus = 'ok' | 'missing' | 'damaged';

const STATUS_KEYS = Object.freeze({
  ok: 'bases_status_ok',
  missing: 'bases_status_missing',
  damaged: 'bases_status_damaged',
} as const satisfies Record<BaseStatus, MessageKey>);

async function checkBase(id: string): Promise<BaseStatus> {
  if (!(await hasModelJson(baseDir(id)))) return 'missing';
  try {
    await readVerifiedBase(id);
    return 'ok';
  } catch {
    return 'damaged';
  }
}

export const basesCommand: CliCommand = {
  name: 'bases',

  configure(command, t) {
    command.description(t('bases_description'));
    addJsonOption(command, t);
  },

  async run(context) {
    const t = context.t;
    const rows = [];
    for (const info of Object.values(BASES)) {
      const status = await checkBase(info.id);
      rows.push({ id: info.id, description: info.description, input: info.input, status });
      context.print(`${info.id.padEnd(22)} ${t(STATUS_KEYS[status]).padEnd(12)} ${info.description}`);
    }
    if (rows.some((row) => row.status !== 'ok')) context.note(t('bases_summary_missing', { command: INSTALL_COMMAND }));
    return { bases: rows };
  },
};
