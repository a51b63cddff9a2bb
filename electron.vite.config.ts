import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { contentSecurityPolicy } from './src/shared/csp'

/** The strict CSP meta goes into the built index.html only: in dev, Vite needs inline scripts and ws. */
const productionCsp: Plugin = {
  name: 'lifeboat-production-csp',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy({ dev: false, meta: true }) }, injectTo: 'head-prepend' },
  ],
}

/**
 * main: the Electron main process (index) and the headless CLI (cli), sharing src/main/core.
 * preload: one sandboxed CommonJS script that exposes window.lifeboat.
 * renderer: the React app.
 * Dependencies stay external (required from node_modules at run time), native ones included.
 */
export default defineConfig({
  main: {
    build: {
      // age-encryption and @noble/* are ESM-only: bundle them so the CommonJS main/CLI output can load it on Node 20.
      externalizeDeps: { exclude: ['age-encryption', '@noble/ciphers', '@noble/hashes'] },
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve('src/main/index.ts'), cli: resolve('src/main/cli/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve('src/preload/index.ts') } },
    },
  },
  renderer: {
    root: 'src/renderer',
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    plugins: [react(), productionCsp],
  },
})
