#!/usr/bin/env bash
# Regenerates the TypeScript bindings in models/tflite/schema/gen from tflite.fbs.
# Needs flatc 2.0.8 (Debian package flatbuffers-compiler). The generated imports get an
# explicit .js extension so that the files also resolve under Node's ESM rules.
set -euo pipefail
cd "$(dirname "$0")/../models/tflite/schema"
rm -rf gen
flatc --ts --gen-object-api -o gen tflite.fbs
find gen -name '*.ts' -exec sed -i -E "s#from '(\.\.?/[^']*)'#from '\1.js'#" {} +
