// A real deadlock on PostgreSQL: two tenant transactions take two locks in opposite orders. PostgreSQL aborts one
// (40P01); the transaction path reruns it, so both callers succeed and neither sees an error.
import { randomInt } from 'node:crypto'
import { beforeAll, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
beforeAll(async () => {
  t = await startApp({ WORKERS: '0' })
  s = await signUp(t)
})

it('reruns a transaction PostgreSQL aborted as a deadlock victim', async () => {
  const db = t.app.deps.db.forTenant(s.tenantId)
  const [first, second] = [randomInt(1, 2 ** 40), randomInt(1, 2 ** 40)]
  let attempts = 0
  let holding = 0
  const bothHold = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (holding >= 2) {
        clearInterval(check)
        resolve()
      }
    }, 5)
  })
  const lockInOrder = (a: number, b: number) => db.tx(async (tx) => {
    const attempt = ++attempts
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${a}::bigint)`
    if (attempt <= 2) {
      holding++
      await bothHold
    }
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${b}::bigint)`
    return 'ok'
  })
  expect(await Promise.all([lockInOrder(first, second), lockInOrder(second, first)])).toEqual(['ok', 'ok'])
  expect(attempts).toBe(3)
})
