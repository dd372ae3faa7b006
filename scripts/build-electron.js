// Bundles the Electron main process, the preload script and the engine utility process into
// dist/electron/. The preload is CommonJS with only `electron` external, because a sandboxed
// preload can require nothing else; main and engine are ESM and keep node_modules external.
import { build } from 'esbuild';
import path from 'node:path';

const outdir = path.join(process.cwd(), 'dist', 'electron');
const common = { bundle: true, platform: 'node', target: 'node22', sourcemap: true, logLevel: 'warning' };

await build({ ...common, entryPoints: { main: 'electron/main/main.ts', engine: 'electron/engine/host.ts' }, outdir, format: 'esm', packages: 'external', outExtension: { '.js': '.js' } });
await build({ ...common, entryPoints: { preload: 'electron/preload/preload.ts' }, outdir, format: 'cjs', external: ['electron'], outExtension: { '.js': '.cjs' } });
console.log(`edge-trainer: Electron bundles written to ${outdir}`);
