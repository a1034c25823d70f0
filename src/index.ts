// Entry point: parse config, build the app, listen; SIGTERM/SIGINT stop it gracefully and exit 0.
import { buildApp } from './app.ts'
import { loadConfigOrExit, modeOf } from './config.ts'
import { createLogger } from './logger.ts'

const config = loadConfigOrExit()

const logger = createLogger(config)
const app = await buildApp(config, { logger })
const port = await app.listen()
const mode = modeOf(config)
logger.info(
  {
    port,
    mode: mode.database,
    redis: mode.redis,
    ...(mode.database === 'embedded' && { dataDir: config.database.dataDir }),
    graphiql: config.isProduction ? undefined : `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/graphql`,
  },
  `listening on ${config.host}:${port}: ${mode.database === 'embedded' ? 'embedded PGlite' : 'PostgreSQL'}, ` +
    `${mode.redis === 'redis' ? 'Redis' : 'in-memory pub/sub and limiter'}`,
)

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
