import { homedir } from 'node:os'
import { join } from 'node:path'

export const PRODUCT_NAME = 'Lifeboat'

/** The desktop app's data dir (Electron's userData), so the CLI and the app share one store. */
export function defaultHome(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME)
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME)
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), PRODUCT_NAME)
}

export interface HomePaths {
  home: string
  database: string
  secrets: string
  /** The desktop app's safeStorage-encrypted secrets (read by the CLI only to explain what it can't use). */
  keychainSecrets: string
  logFile: string
  backups: string
  /** Private per-run directories (credential files, snapshots); cleaned after each run and at start-up. */
  temp: string
}

export function homePaths(home: string): HomePaths {
  return {
    home,
    database: join(home, 'lifeboat.db'),
    secrets: join(home, 'secrets.json'),
    keychainSecrets: join(home, 'secrets.keychain.json'),
    logFile: join(home, 'logs', 'lifeboat.log'),
    backups: join(home, 'backups'),
    temp: join(home, 'tmp'),
  }
}
