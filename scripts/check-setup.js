// Runs after `npm install`: reports whether the pretrained bases are installed and, if not,
// prints the commands that install them. It never fails the install. Plain JavaScript, because
// it must run before anything else works; tests check that BASE_FOLDERS matches the registry.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_FOLDERS = ['mobilenet_v2_0.35_224', 'mobilenet_v1_0.25_96_grayscale'];

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(process.env.EDGE_TRAINER_MODELS ?? path.join(projectRoot, 'models', 'pretrained'));

function missingBases() {
  return BASE_FOLDERS.filter((name) => !existsSync(path.join(root, name, 'model.json')));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = missingBases();
  if (missing.length > 0) {
    const lines = [
      `edge-trainer: the pretrained bases are not installed in ${root} (missing: ${missing.join(', ')}).`,
      'edge-trainer: install them with one of:',
      '  npm run models:install -- --from DIR            (DIR contains the base folders listed above)',
      '  npm run models:install -- --from-tm-export DIR  (DIR is a Teachable Machine image export; run once per base)',
      '  npm run models:install -- --url URL             (URL serves the same folders as DIR)',
    ];
    if (process.env.EDGE_TRAINER_MODELS_SOURCE) lines.push(`  npm run models:install                          (uses EDGE_TRAINER_MODELS_SOURCE=${process.env.EDGE_TRAINER_MODELS_SOURCE})`);
    console.log(lines.join('\n'));
  }
}
