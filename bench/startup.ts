// `npm run bench:startup`: S0 alone. Builds dist/ as `npm start` does, starts PostgreSQL 15 + Redis itself, then
// starts bare yoga and our server (service mode, embedded on an existing and on a new data directory) BENCH_STARTS
// times each (default 5, at least 3) and prints the median start-up to first answer and idle RSS of each.
// BENCH_IDLE_SECONDS (3) is the wait between the first answer and the RSS reading.
import { buildServer, cleanCompiled, measureStartup, startupArms } from './lib/startup.ts'
import { benchServices } from './support.ts'

buildServer()
const services = await benchServices()
if (!services.env.DATABASE_URL) throw new Error('npm run bench:startup needs PostgreSQL and Redis binaries (or DATABASE_URL and REDIS_URL)')
console.log(`# npm run bench:startup: ${services.label}, ${new Date().toISOString()}`)
try {
  await measureStartup(await startupArms(services.env))
} finally {
  cleanCompiled()
  await services.stop()
}
