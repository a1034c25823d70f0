// A PostgreSQL server of the fault suite's own, managed with pg_ctl so a scenario can restart it the way an operator
// or a failover does (`pg_ctl restart -m fast | immediate`) without touching the harness's shared server.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort, postgresBinaries } from '../setup/services.ts'

const run = promisify(execFile)
const isRoot = process.getuid?.() === 0

export interface OwnPostgres {
  /** Superuser URL of the `postgres` database. */
  url: string
  port: number
  /** `pg_ctl restart -m <mode> -w`: resolves when the server accepts connections again. */
  restart(mode: 'fast' | 'immediate'): Promise<void>
  stop(): Promise<void>
}

/**
 * initdb + `pg_ctl start` on a free port. Commits are durable (synchronous_commit on, unlike the harness's server):
 * an immediate shutdown must not lose what a client was told is committed, or the scenario would measure the
 * configuration instead of the application. fsync stays off: the processes die, not the machine.
 */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const found = postgresBinaries()
  if ('missing' in found) throw new Error(found.missing)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-platform-faults-pg-'))
  fs.chmodSync(dir, 0o755)
  const data = path.join(dir, 'data')
  if (isRoot) await run('chown', ['-R', 'postgres:postgres', dir])
  const asPostgres = (cmd: string, args: string[]) => (isRoot ? run('runuser', ['-u', 'postgres', '--', path.join(found.bin, cmd), ...args]) : run(path.join(found.bin, cmd), args))
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions'])
  const port = await freePort()
  const options = `-p ${port} -k ${dir} -h 127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200 -c log_min_messages=warning`
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-t', '60', '-w', ...args])
  await pgCtl('start', '-o', options)
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async (mode) => {
      await pgCtl('restart', '-m', mode, '-o', options)
    },
    stop: async () => {
      await pgCtl('stop', '-m', 'immediate').catch(() => {})
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
