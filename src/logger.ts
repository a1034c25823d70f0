import { pino } from 'pino'
import type { Config } from './config.ts'

export type Logger = pino.Logger

/** Paths whose values never reach a log line. */
const redact = [
  'password', '*.password', '*.newPassword', '*.currentPassword',
  'token', '*.token', '*.accessToken', '*.refreshToken', '*.secret', '*.apiKey',
  'authorization', '*.authorization', 'headers.authorization', '*.headers.authorization',
  'headers["x-api-key"]', '*.headers["x-api-key"]', 'connectionParams',
]

/** The process logger: JSON lines, secrets redacted. */
export function createLogger(config: Pick<Config, 'log'>): Logger {
  return pino({
    level: config.log.level,
    base: { service: 'agent-platform-api', pid: process.pid },
    redact: { paths: redact, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  })
}
