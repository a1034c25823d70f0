// A separate OS process hitting the Redis store, for the multi-process exactness test. Usage:
//   node --import tsx tests/limits/consume-process.ts <redisUrl> <key> <limit> <windowMs> <hits>
// Prints "ready" once connected and the script is loaded, waits for a line on stdin, fires all hits at once, then
// prints the number admitted as JSON and exits.
import { once } from 'node:events'
import { pino } from 'pino'
import { createRedisLimitStore } from '../../src/limits/redis-store.ts'

const [url, key, limit, windowMs, hits] = process.argv.slice(2)
const store = createRedisLimitStore(url!, pino({ level: 'silent' }))
// Connected and the script loaded. A loaded machine (the suite runs files in parallel) can make the very first call
// miss the store's deadline: retry it rather than crash before "ready".
for (let attempt = 1; ; attempt++) {
  try {
    await store.peek(`${key}:warm-up`, 1, Number(windowMs))
    break
  } catch (e) {
    if (attempt >= 50) throw e
    await new Promise((r) => setTimeout(r, 100))
  }
}
process.stdout.write('ready\n')
await once(process.stdin, 'data')
const decisions = await Promise.all(Array.from({ length: Number(hits) }, () => store.consume(key!, Number(limit), Number(windowMs))))
process.stdout.write(`${JSON.stringify({ admitted: decisions.filter((d) => d.allowed).length })}\n`)
await store.close()
process.exit(0)
