// The retention script runs the same service function as the worker, against the configured database.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { services, testEnv } from '../helpers/env.ts'

const run = promisify(execFile)

describe.skipIf(services.databaseTarget !== 'postgres')('src/cli/audit-purge.ts', () => {
  it('purges with the given retention and reports how many entries went', async () => {
    const env = { ...process.env, ...testEnv({ LOG_LEVEL: 'info', REDIS_URL: undefined }) } as NodeJS.ProcessEnv
    // A century: nothing another suite relies on is that old.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/audit-purge.ts', '--days', '36500'], { env })
    expect(stdout).toMatch(/"purged":\d+,"retentionDays":36500/)
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/audit-purge.ts', '--days', '0'], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('--days') })
  })
})
