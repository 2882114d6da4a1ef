import { defineConfig } from 'vitest/config';

// Three tiers: `unit` (pure rules, services with fakes), `db` (real repositories and routes on
// SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set) and `e2e` (the app as `npm start`
// runs it, driven in Debian's Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts'],
          setupFiles: ['server/test/setup-field-keys.ts'],
          exclude: ['**/*.db.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'db',
          include: ['server/src/**/*.db.test.ts'],
          setupFiles: ['server/test/setup-field-keys.ts'],
          // *.sqlite.db.test.ts check the embedded database itself and do not apply to PostgreSQL;
          // *.pg.db.test.ts check PostgreSQL's own walls (row-level security) and need it.
          exclude: process.env.TEST_DATABASE_URL
            ? ['**/*.sqlite.db.test.ts', '**/node_modules/**']
            : ['**/*.pg.db.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Two files at a time even on two cores: much of a db test is spent waiting on a CLI child
          // process, a worker thread or the PostgreSQL server, which one file alone leaves idle.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.spec.ts'],
          globalSetup: ['e2e/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          // The page answers when the server and the browser have; poll like a patient user.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
