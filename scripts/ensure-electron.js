// Runs before `npm start`: installs the Electron binary when the electron package is present but
// its download was skipped (install scripts are off by default in this repository's npm setup).
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const electronDir = path.join(process.cwd(), 'node_modules', 'electron');
const pathFile = path.join(electronDir, 'path.txt');
const installed = existsSync(pathFile) && existsSync(path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
if (!installed) {
  console.log('edge-trainer: Electron binary missing; running node node_modules/electron/install.js');
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('edge-trainer: installing the Electron binary failed. Without network access, use `edge-trainer serve` and a browser instead.');
    process.exit(result.status ?? 1);
  }
}
