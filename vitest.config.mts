import { defineConfig } from 'vitest/config'

/**
 * Three projects: unit (no servers), integration (real PostgreSQL / MariaDB / SQLite), e2e
 * (headless Chromium against the loopback bridge). The global setup starts one throwaway PostgreSQL
 * and one MariaDB for the whole run and removes them at the end, also when tests fail.
 */
const serversSetup = 'test/support/global-setup.ts'

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: [serversSetup] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: [serversSetup], fileParallelism: false } },
    ],
  },
})
