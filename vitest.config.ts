import { createRequire } from 'node:module'
import { defineConfig } from 'vitest/config'

const require = createRequire(import.meta.url)

export default defineConfig({
  resolve: {
    // Node loads graphql's CJS entry for every package; Vite would pick its .mjs build for our sources, and two
    // graphql instances cannot share a schema. Use the one Node uses.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    // The fault suite is its own project (vitest.faults.config.ts, `npm run test:faults`).
    exclude: ['tests/faults/**', 'node_modules/**'],
    globalSetup: ['tests/setup/global.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test seeds its own tenant, so files run in parallel against the shared servers.
    fileParallelism: true,
  },
})
