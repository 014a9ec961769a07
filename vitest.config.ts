import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      // The core's own tests: no database, no process, no network (test/core/core-purity.test.ts
      // keeps it so), hence no database clean-up either. `npm run test:core` runs them alone.
      // They share no files or ports, so they run on both cores, in threads (lighter to start than
      // processes), before the system tests, which keep one worker: they share one database. A
      // thread's files share the core's modules (the core's only module state is memos of pure
      // readings, as a running bot shares them), loaded once a thread instead of once a file.
      {
        extends: true,
        test: {
          name: 'core', include: ['test/core/**/*.test.ts'], pool: 'threads', maxWorkers: 2, isolate: false, sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'system',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/core/**'],
          setupFiles: ['test/support/cleanup.ts'],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
