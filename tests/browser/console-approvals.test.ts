// Human in the loop in the console, in real headless Chromium: a run that stops for approval shows its interrupt
// with Approve / Reject; answering starts the continuation, which the console follows to its end.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw } from '../helpers/agents.ts'
import { chromiumMissing, openBrowser, type OfflineBrowser } from '../helpers/browser.ts'
import { testEnv } from '../helpers/env.ts'
import { password, signUp, type Session } from '../helpers/tenants.ts'

const text = (page: Page, selector: string) => page.locator(selector).first().innerText()

describe.skipIf(chromiumMissing && !process.env.CI_REQUIRE_SERVICES)('console approvals', () => {
  let t: TestApp
  let s: Session
  let b: OfflineBrowser
  beforeAll(async () => {
    t = await startApp(testEnv(), { listen: true })
    s = await signUp(t)
    const tool = await t.gql<{ createTool: { tool: { id: string } } }>('mutation { createTool(input: { name: "deploy", description: "Deploys.", kind: BUILTIN, handler: "echo", requiresApproval: true }) { tool { id } } }', {}, s.headers)
    await t.gql('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
      input: { name: 'careful', model: 'mock-1', systemPrompt: 'You are careful.', toolIds: [tool.body.data!.createTool.tool.id], timeoutSeconds: 30 },
    }, s.headers)
    b = await openBrowser()
  })

  async function runUntilInterrupted(page: Page, prompt: string) {
    await page.getByLabel('Message').fill(prompt)
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 30_000 }).toBe('waiting for approval')
    await page.getByTestId('interrupt').first().waitFor()
    expect(await text(page, '[data-testid=interrupt]')).toContain('deploy')
  }

  it('approves a held-back tool call, then rejects another; each continuation runs to its end', async () => {
    const { page } = b
    await page.goto(`http://127.0.0.1:${t.port}/console`)
    await page.getByLabel('E-mail').fill(s.email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).last().click()
    await page.getByTestId('agents').locator('li').first().waitFor()

    await runUntilInterrupted(page, 'please deploy the site [[mock:call=deploy]]')
    await b.screenshot('console-interrupt')
    await page.getByRole('button', { name: 'Approve' }).click()
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 30_000 }).toBe('finished')
    expect(await text(page, '[data-testid=transcript]')).toContain('please deploy the site')
    await expect.poll(() => text(page, '[data-testid=executions]')).toContain('INTERRUPTED')

    await runUntilInterrupted(page, 'deploy the staging site [[mock:call=deploy]]')
    await page.getByRole('button', { name: 'Reject' }).click()
    await expect.poll(() => text(page, '[data-testid=run-status]'), { timeout: 30_000 }).toBe('finished')
    expect(await text(page, '[data-testid=transcript]')).toContain('refused')
    await b.screenshot('console-rejected')

    const audit = await t.app.deps.db.forTenant(raw(s.tenantId)).client.auditLog.findMany({ where: { action: { startsWith: 'interrupt.' } }, orderBy: { at: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['interrupt.approve', 'interrupt.reject'])
    expect(b.blocked).toEqual([])
  })
})
