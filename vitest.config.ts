import { defineConfig } from 'vitest/config';

// Engine suites run real pretrained weights on the wasm or cpu backend, so single tests can take
// tens of seconds on a 2-core machine. The timeouts leave room for that, not for hangs.
// Renderer component tests run as their own project under jsdom (renderer/vitest.config.ts).
export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['tests/**/*.test.ts'], exclude: ['tests/renderer/**', 'node_modules/**'] },
      },
      './renderer/vitest.config.ts',
    ],
  },
});
