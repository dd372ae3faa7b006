// Vite build of the renderer, shared by Electron (loaded from app://renderer) and
// `edge-trainer serve` (served from dist/renderer over HTTP).

import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: rendererDir,
  base: './',
  plugins: [svelte({ configFile: false })],
  build: {
    outDir: path.resolve(rendererDir, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // The app runs with the network cable pulled: no CDN, everything bundled.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
