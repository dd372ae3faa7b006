import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASES } from '../../models/bases/registry.js';
import { PROJECT_ROOT } from '../../models/paths.js';
import { BASE_FOLDERS } from '../../scripts/check-setup.js';

function runScript(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(args[0], args.slice(1), { cwd: PROJECT_ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('setup scripts', () => {
  it('check-setup lists every registered base', () => {
    expect(BASE_FOLDERS).toEqual(Object.values(BASES).map((info) => info.dirName));
  });

  it('check-setup prints the install command', () => {
    const run = runScript([process.execPath, 'scripts/check-setup.js'], { EDGE_TRAINER_MODELS: '/nonexistent-edge-trainer-models' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('npm run models:install -- --from DIR');
  });

  it('check-setup is silent when installed', () => {
    expect(runScript([process.execPath, 'scripts/check-setup.js']).stdout).toBe('');
  });

  it('install-models without a source exits 2', () => {
    const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
    const run = runScript([tsx, 'scripts/install-models.ts'], { EDGE_TRAINER_MODELS_SOURCE: '' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--from');
  });
});
