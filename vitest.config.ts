import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Each file starts its own loopback servers; files run in parallel workers.
    pool: 'forks',
  },
})
