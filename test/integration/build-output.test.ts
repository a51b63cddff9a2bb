import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHANNELS } from '../../src/shared/channels'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { REPO } from '../support/run-cli'

const out = join(REPO, 'out')
// Under CI a missing build is a failure, not a skip: `npm test` builds first.
const skip = !existsSync(join(out, 'preload', 'index.js')) && process.env.CI !== 'true'

/** Checks what `electron-vite build` produced, as Electron would load it. */
describe.skipIf(skip)('build output (skipped unless `npm run build` ran)', () => {
  it('the built preload requires only electron and exposes only window.lifeboat', () => {
    const code = readFileSync(join(out, 'preload', 'index.js'), 'utf8')
    const required: string[] = []
    const exposed: Record<string, unknown> = {}
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
    }
    const requireStub = (id: string) => {
      required.push(id)
      if (id === 'electron') return fakeElectron
      throw new Error(`the sandboxed preload may only require electron, not ${id}`)
    }
    const module = { exports: {} }
    new Function('require', 'module', 'exports', code)(requireStub, module, module.exports)
    expect(required).toEqual(['electron'])
    expect(Object.keys(exposed)).toEqual(['lifeboat'])
    const api = exposed.lifeboat as Record<string, object>
    expect(Object.keys(api).sort()).toEqual(['onEvent', ...new Set(CHANNELS.map((c) => c.split('.')[0]!))].sort())
  })

  it('the built index.html carries the production CSP and no inline script', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8')
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replaceAll('&#39;', "'")
    expect(meta).toBe(contentSecurityPolicy({ dev: false, meta: true }))
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })

  it('the CLI and every chunk it loads run without electron', () => {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      const code = readFileSync(file, 'utf8')
      expect(code, file).not.toMatch(/require\(["']electron["']\)/)
      for (const [, rel] of code.matchAll(/require\(["'](\.{1,2}\/[^"']+)["']\)/g)) visit(join(file, '..', rel!))
    }
    visit(join(out, 'main', 'cli.js'))
    expect(seen.size).toBeGreaterThan(1) // it did follow the shared chunks
  })
})
