// Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with every non-local request
// blocked, so a page that needs the internet fails here as it would on an offline machine. Screenshots are saved
// under .tmp/artifacts/ (CI keeps them).
import fs from 'node:fs'
import path from 'node:path'
import { afterAll } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { tempDir } from './env.ts'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const chromiumMissing = !fs.existsSync(chromiumPath)
export const artifactsDir = path.resolve(import.meta.dirname, '../../.tmp/artifacts')

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']

const isLocal = (url: string) => {
  if (url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return true
  const host = new URL(url).hostname
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]'
}

export interface OfflineBrowser {
  browser: Browser
  context: BrowserContext
  page: Page
  /** Requests that were refused because they left the machine. */
  blocked: string[]
  /** Console errors and page errors seen so far. */
  errors: string[]
  screenshot(name: string): Promise<string>
}

/** Launches Chromium with a fresh profile, one page, external requests blocked; closed after the file's tests. */
export async function openBrowser(): Promise<OfflineBrowser> {
  const context = await chromium.launchPersistentContext(tempDir('chromium'), { executablePath: chromiumPath, args: flags, headless: true, viewport: { width: 1280, height: 800 } })
  const browser = context.browser() as Browser
  const blocked: string[] = []
  const errors: string[] = []
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (isLocal(url)) return route.continue()
    blocked.push(url)
    return route.abort('internetdisconnected')
  })
  const page = context.pages()[0] ?? (await context.newPage())
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
  page.on('pageerror', (e) => errors.push(String(e)))
  afterAll(() => context.close())
  return {
    browser,
    context,
    page,
    blocked,
    errors,
    async screenshot(name) {
      fs.mkdirSync(artifactsDir, { recursive: true })
      const file = path.join(artifactsDir, `${name}.png`)
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
  }
}
