// Entry point: parse config, build the app, listen; SIGTERM/SIGINT stop it gracefully and exit 0.
import { loadConfigOrExit, modeOf } from './config.ts'
import { createLogger } from './logger.ts'

const config = loadConfigOrExit()

const logger = createLogger(config)
const mode = modeOf(config)
// Say something at once: loading the schema and opening the database take seconds on a cold start.
logger.info(`starting… (${mode.database === 'embedded' ? `embedded PostgreSQL in ${config.database.dataDir}` : 'PostgreSQL'}, ${mode.redis === 'redis' ? 'Redis' : 'in-memory pub/sub'})`)
const { buildApp } = await import('./app.ts')
logger.info(`waiting for the database${config.database.migrateOnBoot ? ' and its migrations' : ''}${mode.redis === 'redis' ? ' and Redis' : ''}…`)
const app = await buildApp(config, { logger })
const port = await app.listen()
const origin = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`
logger.info(
  {
    port,
    mode: mode.database,
    redis: mode.redis,
    ...(mode.database === 'embedded' && { dataDir: config.database.dataDir }),
    graphiql: config.isProduction ? undefined : `${origin}/graphql`,
    console: config.http.console ? `${origin}/console` : undefined,
  },
  `listening on ${config.host}:${port}: ${mode.database === 'embedded' ? 'embedded PGlite' : 'PostgreSQL'}, ` +
    `${mode.redis === 'redis' ? 'Redis' : 'in-memory pub/sub and limiter'}`,
)

if (!config.isProduction) logger.info(`ready: GraphiQL ${origin}/graphql${config.http.console ? ` · console ${origin}/console` : ''}`)

let signalled = false
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (signalled) return
    signalled = true
    logger.info({ signal }, 'shutting down')
    app.stop().then(
      () => {
        logger.info('stopped')
        process.exit(0)
      },
      (err) => {
        logger.error({ err }, 'shutdown failed')
        process.exit(1)
      },
    )
  })
}
