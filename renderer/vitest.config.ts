// Component and store tests of the renderer, run as a vitest project from the root config. Svelte
// components need the 'browser' export conditions under jsdom.

import { svelte } from '@sveltejs/vite-plugin-svelte';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export default defineConfig({
  root: repoRoot,
  plugins: [svelte({ configFile: false })],
  resolve: { conditions: ['browser'] },
  test: {
    name: 'renderer',
    root: repoRoot,
    include: ['tests/renderer/**/*.test.ts'],
    environment: 'jsdom',
    setupFiles: ['tests/renderer/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
  },
});
