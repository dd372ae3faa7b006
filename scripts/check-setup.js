// Runs after `npm install`: reports whether the pretrained bases are installed and, if not,
// prints the command that installs them, with the source folder filled in when one is found.
// It never fails the install. It is plain JavaScript because it must run before anything else
// works, and a test checks that BASE_FOLDERS matches the registry.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_FOLDERS = ['mobilenet_v2_0.35_224', 'mobilenet_v1_0.25_96_grayscale'];

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(process.env.EDGE_TRAINER_MODELS ?? path.join(projectRoot, 'models', 'pretrained'));

function missingBases(folder) {
  return BASE_FOLDERS.filter((name) => !existsSync(path.join(folder, name, 'model.json')));
}

/** Returns a folder that contains every base: EDGE_TRAINER_MODELS_SOURCE, or the shared folder beside the checkout. */
function findSource() {
  const candidates = [process.env.EDGE_TRAINER_MODELS_SOURCE, path.join(projectRoot, '..', 'shared', 'models')];
  return candidates.find((folder) => folder && missingBases(path.resolve(folder)).length === 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = missingBases(root);
  const source = findSource();
  if (missing.length > 0 && source) {
    console.log(`edge-trainer: the pretrained bases are not installed in ${root} (missing: ${missing.join(', ')}).`);
    console.log(`edge-trainer: install them with: npm run models:install -- --from ${path.resolve(source)}`);
  } else if (missing.length > 0) {
    const lines = [
      `edge-trainer: the pretrained bases are not installed in ${root} (missing: ${missing.join(', ')}).`,
      'edge-trainer: install them with one of:',
      '  npm run models:install -- --from DIR            (DIR contains the base folders listed above)',
      '  npm run models:install -- --from-tm-export DIR  (DIR is a Teachable Machine image export; run once per base)',
      '  npm run models:install -- --url URL             (URL serves the same folders as DIR)',
    ];
    console.log(lines.join('\n'));
  }
}
