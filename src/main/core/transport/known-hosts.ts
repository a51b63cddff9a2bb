/**
 * OpenSSH known_hosts support, so an SSH hop can verify the server's host key the way `ssh` would
 * (format: `man 8 sshd`, section SSH_KNOWN_HOSTS FILE FORMAT).
 *
 * ssh2 hands us the host key as the raw SSH wire-format public key blob, which is exactly what
 * known_hosts stores base64-encoded, so comparing keys is comparing bytes: no key parsing needed.
 * Only Node built-ins are used.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

export type KnownHostsVerdict =
  /** An entry for this host (and port) has exactly this key. */
  | { status: 'known'; line: number }
  /** An entry for this host has a key of the same type but different bytes: possible MITM, refuse. */
  | { status: 'changed'; line: number; expectedFingerprint: string }
  /** The server's key is listed under `@revoked` for this host: refuse, even if also listed as known. */
  | { status: 'revoked'; line: number }
  /** No entry for this host with this key type: OpenSSH would ask the user. */
  | { status: 'unknown' }

/** `SHA256:` + unpadded base64 of sha256(blob), exactly as `ssh-keygen -lf` prints it. */
export function fingerprintOfKey(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

/** The key type named inside a wire blob (its first SSH string), e.g. `ssh-ed25519`; null if malformed. */
export function keyTypeOf(blob: Buffer): string | null {
  if (blob.length < 4) return null
  const len = blob.readUInt32BE(0)
  if (len === 0 || len > 64 || 4 + len > blob.length) return null
  const type = blob.subarray(4, 4 + len).toString('latin1')
  // Key type names are printable ASCII without spaces; anything else is not a key blob.
  return /^[\x21-\x7e]+$/.test(type) ? type : null
}

export function defaultKnownHostsPath(): string {
  return join(homedir(), '.ssh', 'known_hosts')
}

interface Entry {
  line: number
  marker: 'revoked' | null
  hosts: string
  type: string
  blob: Buffer
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

/** One known_hosts line, or null for anything to ignore: comments, blanks, @cert-authority, malformed lines. */
function parseLine(raw: string, line: number): Entry | null {
  const text = raw.trim()
  if (text === '' || text.startsWith('#')) return null
  const fields = text.split(/[ \t]+/)
  let marker: Entry['marker'] = null
  if (fields[0]?.startsWith('@')) {
    const m = fields.shift()
    // CA keys sign host certificates; we never see certificates here, so they can't vouch for a plain key.
    if (m === '@cert-authority') return null
    if (m !== '@revoked') return null // unknown marker: OpenSSH treats the line as invalid
    marker = 'revoked'
  }
  const [hosts, type, b64] = fields
  if (!hosts || !type || !b64 || !BASE64.test(b64)) return null
  const blob = Buffer.from(b64, 'base64')
  // Like OpenSSH's sshkey_read, a line whose type field disagrees with its blob is malformed.
  if (keyTypeOf(blob) !== type) return null
  return { line, marker, hosts, type, blob }
}

/** The names a host is looked up under: OpenSSH writes port 22 as plain `host`, others as `[host]:port`. */
function lookupNames(host: string, port: number): string[] {
  const h = host.toLowerCase()
  // `[host]:22` is never written by OpenSSH but means the same endpoint, so accept it too.
  return port === 22 ? [h, `[${h}]:22`] : [`[${h}]:${port}`]
}

/** OpenSSH `match_pattern`: `*` and `?` wildcards, everything else literal (brackets included). */
function globMatch(name: string, pattern: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 's').test(name)
}

/** `|1|salt|hash`, hash = HMAC-SHA1(salt, name): one hashed name per line, no wildcards or negation. */
function hashedMatch(names: string[], field: string): boolean {
  const parts = field.split('|')
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== '1') return false
  const [salt64, hash64] = [parts[2] ?? '', parts[3] ?? '']
  if (!BASE64.test(salt64) || !BASE64.test(hash64)) return false
  const salt = Buffer.from(salt64, 'base64')
  const want = Buffer.from(hash64, 'base64')
  return names.some((n) => {
    const got = createHmac('sha1', salt).update(n).digest()
    return got.length === want.length && timingSafeEqual(got, want)
  })
}

/** Whether a hostnames field matches; a matching negated pattern (`!pat`) excludes the whole line. */
function hostsMatch(names: string[], field: string): boolean {
  if (field.startsWith('|')) return hashedMatch(names, field)
  let matched = false
  for (const raw of field.toLowerCase().split(',')) {
    const negated = raw.startsWith('!')
    const pattern = negated ? raw.slice(1) : raw
    if (pattern === '' || !names.some((n) => globMatch(n, pattern))) continue
    if (negated) return false
    matched = true
  }
  return matched
}

/** Checks a server host key against known_hosts text, with OpenSSH's precedence: revoked, known, changed, unknown. */
export function checkKnownHosts(text: string, host: string, port: number, key: Buffer): KnownHostsVerdict {
  const names = lookupNames(host, port)
  const keyType = keyTypeOf(key)
  let known: number | null = null
  let changed: Entry | null = null
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const entry = parseLine(lines[i] ?? '', i + 1)
    if (!entry || !hostsMatch(names, entry.hosts)) continue
    const same = entry.blob.equals(key)
    // A revoked key is refused whatever else the file says, so it can stop the scan.
    if (entry.marker === 'revoked') {
      if (same) return { status: 'revoked', line: entry.line }
      continue
    }
    if (same) known ??= entry.line
    else if (keyType !== null && entry.type === keyType) changed ??= entry
  }
  if (known !== null) return { status: 'known', line: known }
  // Only a key of the same type counts as changed: a server may offer a type we have no entry for yet.
  if (changed) return { status: 'changed', line: changed.line, expectedFingerprint: fingerprintOfKey(changed.blob) }
  return { status: 'unknown' }
}

/** {@link checkKnownHosts} on a file; a missing file simply knows no hosts. */
export async function checkKnownHostsFile(path: string, host: string, port: number, key: Buffer): Promise<KnownHostsVerdict> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'unknown' }
    throw new Error(`cannot read known_hosts file ${path}: ${(err as Error).message}`, { cause: err })
  }
  return checkKnownHosts(text, host, port, key)
}
