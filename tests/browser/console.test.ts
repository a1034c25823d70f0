// The console in real headless Chromium with every non-local request blocked: sign in, start a run, watch it stream,
// page through history and the audit log. Screenshots go to .tmp/artifacts/.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { chromiumMissing, openBrowser, type OfflineBrowser } from '../helpers/browser.ts'
import { testEnv } from '../helpers/env.ts'
import { createApiKey, password, signUp, type Session } from '../helpers/tenants.ts'

const text = (page: Page, selector: string) => page.locator(selector).first().innerText()

describe.skipIf(chromiumMissing && !process.env.CI_REQUIRE_SERVICES)('console', () => {
  let t: TestApp
  let s: Session
  let b: OfflineBrowser
  // A webhook receiver on loopback: the agent created below is delivered to it (agent.create).
  const received: string[] = []
  const receiver = http.createServer((req, res) => req.on('data', () => {}).on('end', () => {
    received.push(String(req.headers['webhook-id']))
    res.writeHead(204).end()
  }))
  afterAll(() => void receiver.close())
  beforeAll(async () => {
    t = await startApp(testEnv({ WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOKS_ALLOW_INSECURE: 'true' }), { listen: true })
    s = await signUp(t)
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const hook = await t.gql('mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }',
      { input: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['agent.*'] } }, s.headers)
    expect(hook.body.errors).toBeUndefined()
    await seedAgent(t, s, { tools: ['calculator'] })
    // Enough audited actions for more than one page of the audit log.
    for (let i = 0; i < 10; i++) await createApiKey(t, s, ['AGENTS_READ'])
    b = await openBrowser()
  })

  it('signs in, starts a run and renders its events live: text, tool calls, state, status', async () => {
    const { page } = b
    await page.goto(`http://127.0.0.1:${t.port}/console`)
    await page.getByLabel('E-mail').fill(s.email)
    await page.getByLabel('Password').fill(password)
    await b.screenshot('console-sign-in')
    await page.getByRole('button', { name: 'Sign in' }).last().click()
    await page.getByTestId('agents').locator('li').first().waitFor()
    await page.getByLabel('Message').fill('use calculator to compute 6 * 7 [[mock:delay=40]]')
    await page.getByRole('button', { name: 'Run' }).click()
    // Live: the status says running before the run has finished.
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 15_000 }).toBe('running')
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 30_000 }).toBe('finished')
    const transcript = await text(page, '[data-testid=transcript]')
    expect(transcript).toContain('use calculator to compute 6 * 7')
    expect(await page.getByTestId('tool-call').first().innerText()).toContain('calculator')
    expect(await page.locator('.msg.assistant').count()).toBeGreaterThan(0)
    expect(Number((await text(page, '[data-testid=event-count]')).split(' ')[0])).toBeGreaterThan(5)
    await expect.poll(() => page.getByTestId('executions').locator('tr').count()).toBeGreaterThan(0)
    await expect.poll(() => text(page, '[data-testid=executions]')).toContain('SUCCEEDED')
    await b.screenshot('console-run')
    expect(b.blocked).toEqual([])
  })

  it('pages through the audit log and replays a past run from the history', async () => {
    const { page } = b
    const audit = page.getByTestId('audit').locator('tr')
    await expect.poll(() => audit.count()).toBe(10)
    await page.getByTestId('audit-more').click()
    await expect.poll(() => audit.count()).toBeGreaterThan(10)
    await page.getByTestId('executions').locator('tr').first().click()
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 15_000 }).toBe('finished')
    expect(await text(page, '[data-testid=transcript]')).toContain('use calculator')
    await b.screenshot('console-history')
  })

  it('shows webhook deliveries, filters them by status and redelivers one', async () => {
    const { page } = b
    await page.getByTestId('webhooks').locator('tr').first().click()
    const deliveries = page.getByTestId('deliveries').locator('tr')
    await expect.poll(() => deliveries.count()).toBe(1)
    await expect.poll(async () => { await page.getByTestId('delivery-filter').selectOption('SUCCEEDED'); return deliveries.first().innerText() }, { timeout: 15_000 }).toContain('agent.create')
    expect(await deliveries.first().innerText()).toContain('HTTP 204')
    await page.getByTestId('delivery-filter').selectOption('DEAD')
    await expect.poll(() => deliveries.count()).toBe(0)
    await page.getByTestId('delivery-filter').selectOption('')
    await expect.poll(() => deliveries.count()).toBe(1)
    const before = received.length
    await page.getByTestId('redeliver').click()
    await expect.poll(() => page.getByTestId('delivery-status').innerText()).toBe('PENDING')
    // The same event again, with the same webhook-id (Standard Webhooks: the id identifies the event).
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(before + 1)
    expect(received.at(-1)).toBe(received[0])
    await b.screenshot('console-webhooks')
    expect(b.blocked).toEqual([])
  })

  it('works with a pasted API key, and refuses a bad one back to the sign-in screen', async () => {
    const { page } = b
    const key = await createApiKey(t, s, ['AGENTS_READ', 'TOOLS_READ', 'EXECUTIONS_READ', 'EXECUTIONS_RUN'])
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('tab', { name: 'API key' }).click()
    await page.getByLabel('API key').fill(key.secret)
    await page.getByRole('button', { name: 'Use key' }).click()
    await page.getByTestId('agents').locator('li').first().waitFor()
    expect(await page.locator('#who').innerText()).toMatch(/^key /)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByRole('tab', { name: 'API key' }).click()
    await page.getByLabel('API key').fill('apk_not_a_key')
    await page.getByRole('button', { name: 'Use key' }).click()
    await page.getByRole('tab', { name: 'Sign in' }).waitFor()
    expect(b.blocked).toEqual([])
  })
})
