// Installs the pretrained bases into models/pretrained (or EDGE_TRAINER_MODELS) from a local folder.
// Usage: npm run models:install -- --from DIR   (DIR holds mobilenet_v2_0.35_224/ and the others)

import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { baseDir, readVerifiedBase } from '../models/bases/load.js';
import { BASES } from '../models/bases/registry.js';
import { isEdgeTrainerError } from '../models/errors.js';
import { pretrainedDir } from '../models/paths.js';

const { values } = parseArgs({ options: { from: { type: 'string' } } });
const source = values.from ?? process.env.EDGE_TRAINER_MODELS_SOURCE;
if (!source) {
  console.error('Usage: npm run models:install -- --from DIR  (or set EDGE_TRAINER_MODELS_SOURCE)');
  process.exit(2);
}

const target = pretrainedDir();
await mkdir(target, { recursive: true });
let failed = false;
for (const info of Object.values(BASES)) {
  try {
    await readVerifiedBase(info.id, path.resolve(source));
  } catch (error) {
    failed = true;
    console.error(isEdgeTrainerError(error) ? error.message : String(error));
    continue;
  }
  const destination = baseDir(info.id, target);
  await rm(destination, { recursive: true, force: true });
  await cp(path.join(path.resolve(source), info.dirName), destination, { recursive: true });
  await readVerifiedBase(info.id, target);
  console.log(`installed ${info.id} into ${destination}`);
}
process.exit(failed ? 1 : 0);
