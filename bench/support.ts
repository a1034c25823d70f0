import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** A fresh temporary directory (embedded database of a benchmark run). */
export const tempDirFor = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `agent-platform-${name}-`))

/**
 * Real PostgreSQL and Redis for a benchmark when their binaries exist (what production runs on), else the embedded
 * default. Returns the environment to use and a cleanup function.
 */
export async function benchServices(): Promise<{ env: Record<string, string>; label: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { env: {}, label: 'DATABASE_URL/REDIS_URL as given', stop: async () => {} }
  const { postgresBinaries, redisBinary, startPostgres, startRedis, createDatabase } = await import('../tests/setup/services.ts')
  const pg = postgresBinaries()
  const redis = redisBinary()
  if (!('bin' in pg) || !('bin' in redis)) return { env: { DATA_DIR: tempDirFor('bench') }, label: 'embedded PGlite, in-memory pub/sub', stop: async () => {} }
  const [pgServer, redisServer] = await Promise.all([startPostgres(pg.bin), startRedis(redis.bin)])
  const url = await createDatabase(pgServer.url, 'bench')
  return {
    env: { DATABASE_URL: url, REDIS_URL: redisServer.url },
    label: 'PostgreSQL + Redis',
    stop: async () => void (await Promise.all([pgServer.stop(), redisServer.stop()])),
  }
}
