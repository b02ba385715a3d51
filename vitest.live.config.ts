import { defineConfig } from 'vitest/config';

// npm run test:live: the real agent CLIs (npm run agents:install) against the mock model, in real time.
export default defineConfig({
  test: {
    include: ['test/live/**/*.live.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
