import { defineConfig } from 'vitest/config'

// The bundle tests run dist/index.js, so they need `npm run build` first; the unit tests need no build.
const BUNDLE = ['test/bundle/**/*.test.ts']

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 30_000,
    // Each file starts its own loopback servers; files run in parallel workers.
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: BUNDLE } },
      { extends: true, test: { name: 'bundle', include: BUNDLE } },
    ],
  },
})
