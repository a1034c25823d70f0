// The fault suite (`npm run test:faults`): scenarios that stop, kill, restart or blackhole real processes and
// dependencies. Its own project so the main suite stays fast; files run one at a time (each scenario measures
// latency and must not share two cores with another).
import { defineConfig } from 'vitest/config'
import base from './vitest.config.ts'

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['tests/faults/**/*.test.ts'],
    exclude: ['node_modules/**'],
    fileParallelism: false,
    testTimeout: 180_000,
  },
})
