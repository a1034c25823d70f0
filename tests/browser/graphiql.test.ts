// GraphiQL in real headless Chromium with the internet blocked: it must render from the server alone.
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { chromiumMissing, openBrowser, type OfflineBrowser } from '../helpers/browser.ts'
import { testEnv } from '../helpers/env.ts'

// Monaco renders spaces as no-break spaces.
const text = (page: Page, selector: string) => page.locator(selector).first().innerText().then((s) => s.replace(/\s+/g, ' '))

describe.skipIf(chromiumMissing && !process.env.CI_REQUIRE_SERVICES)('GraphiQL offline', () => {
  let t: TestApp
  let b: OfflineBrowser
  beforeAll(async () => {
    t = await startApp(testEnv(), { listen: true })
    b = await openBrowser()
  })

  it('renders the editor and runs an operation without reaching any external origin', async () => {
    const { page } = b
    await page.goto(`http://127.0.0.1:${t.port}/graphql`)
    await page.locator('.graphiql-query-editor').first().waitFor({ timeout: 20_000 })
    await expect.poll(() => text(page, '.graphiql-query-editor'), { timeout: 15_000 }).toContain('mutation SignUp')
    // The schema loaded: the documentation explorer lists the root types.
    await page.getByRole('button', { name: /documentation explorer/i }).click()
    await expect.poll(() => text(page, '.graphiql-doc-explorer'), { timeout: 15_000 }).toContain('Query')
    await page.getByRole('button', { name: /execute query/i }).click()
    await expect.poll(() => text(page, '.graphiql-response'), { timeout: 15_000 }).toContain('accessToken')
    await b.screenshot('graphiql')
    expect(b.blocked).toEqual([])
    expect(b.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
  })
})
