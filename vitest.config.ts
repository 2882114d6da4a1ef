import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure rules, services with fakes) and `db` (real repositories and routes on
// SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts'],
          exclude: ['**/*.db.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'db',
          include: ['server/src/**/*.db.test.ts'],
          // *.sqlite.db.test.ts check the embedded database itself; they do not apply to PostgreSQL.
          exclude: process.env.TEST_DATABASE_URL
            ? ['**/*.sqlite.db.test.ts', '**/node_modules/**']
            : ['**/node_modules/**'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
