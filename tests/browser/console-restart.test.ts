// The console keeps watching a run through a server restart: a real server process (HTTP, WebSocket and its
// in-process worker) is stopped with SIGTERM mid-stream and started again on the same port; the page resubscribes
// after the last cursor it rendered and ends up with exactly the run's log, nothing lost and nothing twice.
// Screenshots (before, during and after the restart) go to .tmp/artifacts/.
import net from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { chromiumMissing, openBrowser, type OfflineBrowser } from '../helpers/browser.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { eventLog, expectGapless, verify } from '../helpers/runs.ts'
import { password, signUp, type Session } from '../helpers/tenants.ts'

const freePort = () => new Promise<number>((resolve, reject) => {
  const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
    const { port } = s.address() as net.AddressInfo
    s.close(() => resolve(port))
  })
})

const skip = (chromiumMissing || !services.postgresAdminUrl) && !process.env.CI_REQUIRE_SERVICES

describe.skipIf(skip)('console across a server restart', () => {
  let env: Record<string, string | undefined>
  let admin: TestApp
  let owner: Session
  let b: OfflineBrowser
  const procs: Proc[] = []

  beforeAll(async () => {
    env = {
      ...(await isolatedDatabaseEnv({ postgres: true })), REDIS_URL: services.redisUrl, NODE_ENV: 'test', JWT_SECRET: 'console-restart-secret-console-restart-secret',
      PORT: String(await freePort()), WORKERS: '1', WORKER_POLL_MS: '200', WORKER_HEARTBEAT_MS: '300', WORKER_STALE_MS: '3000', SUBSCRIPTION_POLL_MS: '300',
      SHUTDOWN_TIMEOUT_MS: '1500', AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    }
    // Seeds the tenant and reads the log back in process; runs nothing (no worker).
    admin = await startApp({ ...env, WORKERS: '0' })
    owner = await signUp(admin)
    await seedAgent(admin, owner)
    b = await openBrowser()
    return () => {
      for (const p of procs) p.kill('SIGKILL')
    }
  })
  const start = async () => {
    const p = await startServer(env)
    procs.push(p)
    return p
  }

  it('resumes the live run from its cursor after the server restarts mid-stream', async () => {
    const { page } = b
    const first = await start()
    await page.goto(`http://127.0.0.1:${first.port}/console`)
    await page.getByLabel('E-mail').fill(owner.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).last().click()
    await page.getByTestId('agents').locator('li').first().waitFor()
    await page.getByLabel('Message').fill(`tell me a long story [[mock:delay=80]] ${'about rivers and mountains '.repeat(25)}`)
    await page.getByRole('button', { name: 'Run' }).click()

    const logged = page.getByTestId('event-log').locator('li')
    const contentSeen = () => logged.filter({ hasText: 'TEXT_MESSAGE_CONTENT' }).count()
    await expect.poll(contentSeen, { timeout: 20_000 }).toBeGreaterThan(3)
    await b.screenshot('console-restart-1-streaming')

    first.kill('SIGTERM')
    expect(await first.exit).toBe(0)
    await expect.poll(() => page.getByTestId('run-connection').innerText(), { timeout: 10_000 }).toBe('reconnecting…')
    const beforeRestart = await logged.count()
    await b.screenshot('console-restart-2-server-down')
    expect(await page.getByTestId('run-status').innerText()).toBe('running')

    await start()
    await expect.poll(() => page.getByTestId('run-connection').innerText(), { timeout: 30_000 }).toMatch(/^resumed after event \d+$/)
    await expect.poll(() => page.getByTestId('run-status').innerText(), { timeout: 60_000 }).toBe('finished')
    await b.screenshot('console-restart-3-finished')

    const id = await page.getByTestId('run-id').innerText()
    const log = await eventLog(admin, owner, id)
    expectGapless(log)
    // The restart really came mid-run: the first attempt was interrupted by the shutdown and a second one finished.
    expect(log.find((e) => e.type === 'CUSTOM' && e.event.name === 'interrupted')).toBeDefined()
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
    expect(beforeRestart).toBeLessThan(log.length)
    await verify(log.map((e) => e.event))

    // The page rendered exactly the log: every seq once, in order, and the resume point is one of them.
    const seqs = await logged.evaluateAll((els) => els.map((el) => Number((el as HTMLElement).dataset.seq)))
    expect(seqs).toEqual(log.map((e) => e.seq))
    expect(await page.getByTestId('event-count').innerText()).toBe(`${log.length} events`)
    const resumedAfter = Number((await page.getByTestId('run-connection').innerText()).match(/\d+/)![0])
    expect(resumedAfter).toBeGreaterThanOrEqual(beforeRestart)

    // Each streamed message shows its text once: no delta was lost or applied twice across the restart.
    const texts = new Map<string, string>()
    for (const e of log) if (e.type === 'TEXT_MESSAGE_CONTENT') texts.set(String(e.event.messageId), (texts.get(String(e.event.messageId)) ?? '') + String(e.event.delta))
    expect(texts.size).toBeGreaterThan(0)
    for (const [messageId, text] of texts) {
      const bubble = page.locator(`[data-message-id="${messageId}"]`)
      expect(await bubble.count()).toBe(1)
      expect(await bubble.textContent()).toBe(text)
    }
    expect(b.blocked).toEqual([])
  }, 120_000)
})
