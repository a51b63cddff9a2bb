import type { HopDraft, HopKey, SshErrorKey } from '../../lib/ssh-draft'

/** Labels of one hop's inputs: distinct per hop, so each input has its own accessible name. */
export interface HopLabels {
  legend: string
  host: string
  port: string
  user: string
  auth: string
  privateKeyPath: string
  passphrase: string
  password: string
  hostKey: string
}

export const HOP_LABELS: Record<HopKey, HopLabels> = {
  hop: {
    legend: 'SSH host',
    host: 'SSH host',
    port: 'SSH port',
    user: 'SSH user',
    auth: 'Authentication',
    privateKeyPath: 'Private key file',
    passphrase: 'Key passphrase',
    password: 'SSH password',
    hostKey: 'Host key',
  },
  jump: {
    legend: 'Jump host',
    host: 'Jump host',
    port: 'Jump host port',
    user: 'Jump host user',
    auth: 'Jump host authentication',
    privateKeyPath: 'Jump host private key file',
    passphrase: 'Jump host key passphrase',
    password: 'Jump host password',
    hostKey: 'Jump host key',
  },
}

/** Changes some fields of one hop; `field` names the error the change may clear. */
export type HopUpdate = (hopKey: HopKey, patch: Partial<HopDraft>, field: SshErrorKey) => void
