import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startBridge, type Bridge } from '../../src/main/bridge'
import type { LifeboatCore } from '../../src/main/core/app'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const RENDERER_DIR = resolve(__dirname, '../../out/renderer')

/** TEST-INFRA §7: flags for a quiet, offline headless Chromium in a container (no sandbox, no GPU). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Why the e2e tests cannot run here, or null. Under CI=true a missing prerequisite fails instead of skipping. */
export function missingPrerequisite(): string | null {
  if (!existsSync(CHROMIUM_PATH)) {
    return `Chromium not found at ${CHROMIUM_PATH}: install it (Debian: apt-get install chromium, giving /usr/bin/chromium) or set CHROMIUM_PATH`
  }
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return `${RENDERER_DIR}/index.html is missing: run npx electron-vite build`
  return null
}

export interface Browser {
  context: BrowserContext
  close(): Promise<void>
}

/** A fresh profile directory per launch, so no state leaks between runs. */
export async function launchChromium(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 720 },
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    },
  }
}

export interface OpenedApp {
  bridge: Bridge
  browser: Browser
  page: Page
  /** Page errors and CSP violations ("Refused to ..." console errors); a test asserts it stays empty. */
  problems: string[]
  close(): Promise<void>
}

/** The renderer in headless Chromium, served by the loopback bridge from `core`, already loaded. */
export async function openApp(core: LifeboatCore): Promise<OpenedApp> {
  const bridge = await startBridge({ core, rendererDir: RENDERER_DIR })
  const browser = await launchChromium()
  const page = await browser.context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Refused to/.test(m.text())) problems.push(m.text())
  })
  await page.goto(bridge.pageUrl)
  return {
    bridge,
    browser,
    page,
    problems,
    close: async () => {
      await browser.close()
      await bridge.close()
    },
  }
}

export const RESULTS_DIR = resolve(__dirname, '../../test-results')
export const DOCS_SCREENSHOTS_DIR = resolve(__dirname, '../../docs/screenshots')

export interface ScreenshotOptions {
  /** Also copy it to docs/screenshots when UPDATE_SCREENSHOTS=1 (default true). */
  docs?: boolean
  /** A taller viewport for this shot (default 720), put back afterwards. */
  height?: number
  /** The whole page rather than the viewport (default true). */
  fullPage?: boolean
}

/** A PNG in test-results/ (and docs/screenshots/ with UPDATE_SCREENSHOTS=1), animations settled. */
export async function screenshot(page: Page, name: string, { docs = true, height = 720, fullPage = true }: ScreenshotOptions = {}): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${name}.png`)
  if (height !== 720) await page.setViewportSize({ width: 1280, height })
  await page.screenshot({ path: file, fullPage, animations: 'disabled' })
  if (height !== 720) await page.setViewportSize({ width: 1280, height: 720 })
  if (docs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true })
    copyFileSync(file, join(DOCS_SCREENSHOTS_DIR, `${name}.png`))
  }
}
