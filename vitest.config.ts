import { defineConfig } from 'vitest/config';

// Engine suites run real pretrained weights on the wasm or cpu backend, so single tests can take
// tens of seconds on a 2-core machine; the timeouts leave room for that, not for hangs.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
