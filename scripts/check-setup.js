// Runs after `npm install`: reports whether the pretrained bases are installed and, if not,
// prints the command that installs them. It never fails the install.
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = process.env.EDGE_TRAINER_MODELS ?? path.join(process.cwd(), 'models', 'pretrained');
const bases = ['mobilenet_v2_0.35_224', 'mobilenet_v1_0.25_96_grayscale'];
const missing = bases.filter((name) => !existsSync(path.join(root, name, 'model.json')));
if (missing.length > 0) {
  console.log(`edge-trainer: pretrained bases missing in ${root}: ${missing.join(', ')}`);
  console.log('edge-trainer: install them with: npm run models:install -- --from <folder with the bases>');
}
