import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

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
