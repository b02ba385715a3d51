import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The real agent CLIs, in real time: opt-in (npm run test:live).
    exclude: ['test/live/**', '**/node_modules/**'],
    // Real PTYs and child processes: give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
