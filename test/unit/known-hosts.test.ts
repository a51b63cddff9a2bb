import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest'
import { spawnSync } from 'node:child_process'
import { createHmac, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  checkKnownHosts,
  checkKnownHostsFile,
  defaultKnownHostsPath,
  fingerprintOfKey,
  keyTypeOf,
  type KnownHostsVerdict,
} from '../../src/main/core/transport/known-hosts'

// ---- SSH wire-format blobs built from real node:crypto keys, independently of the module ----

const u32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}
const sshString = (v: string | Buffer) => {
  const b = typeof v === 'string' ? Buffer.from(v) : v
  return Buffer.concat([u32(b.length), b])
}
/** RFC 4251 mpint of an unsigned big-endian magnitude: no leading zeros, a 0x00 if the high bit is set. */
const mpint = (mag: Buffer) => {
  let i = 0
  while (i < mag.length && mag[i] === 0) i++
  const m = mag.subarray(i)
  return sshString(m.length > 0 && (m[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.alloc(1), m]) : m)
}
const jwk = (k: KeyObject) => k.export({ format: 'jwk' })
const b64u = (s: string | undefined) => Buffer.from(s ?? '', 'base64url')

const ed25519Blob = (k: KeyObject) => Buffer.concat([sshString('ssh-ed25519'), sshString(b64u(jwk(k).x))])
const ecdsaBlob = (k: KeyObject) => {
  const j = jwk(k)
  return Buffer.concat([sshString('ecdsa-sha2-nistp256'), sshString('nistp256'), sshString(Buffer.concat([Buffer.from([4]), b64u(j.x), b64u(j.y)]))])
}
const rsaBlob = (k: KeyObject) => {
  const j = jwk(k)
  return Buffer.concat([sshString('ssh-rsa'), mpint(b64u(j.e)), mpint(b64u(j.n))])
}

const ed = ed25519Blob(generateKeyPairSync('ed25519').publicKey)
const ed2 = ed25519Blob(generateKeyPairSync('ed25519').publicKey)
const ec = ecdsaBlob(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)
const rsa = rsaBlob(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)

const TYPE = new Map<Buffer, string>([
  [ed, 'ssh-ed25519'],
  [ed2, 'ssh-ed25519'],
  [ec, 'ecdsa-sha2-nistp256'],
  [rsa, 'ssh-rsa'],
])
/** One known_hosts line in OpenSSH .pub layout: `hosts type base64 [comment]`. */
const kh = (hosts: string, key: Buffer, comment = '') => `${hosts} ${TYPE.get(key)} ${key.toString('base64')}${comment ? ` ${comment}` : ''}`
/** A hashed hostnames field, HMAC-SHA1 computed here rather than by the module. */
const hashed = (name: string, salt = randomBytes(20)) => `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
const file = (...lines: string[]) => lines.join('\n') + '\n'

const H = 'db.example.com'
const known = (line: number): KnownHostsVerdict => ({ status: 'known', line })
const changed = (line: number, was: Buffer): KnownHostsVerdict => ({ status: 'changed', line, expectedFingerprint: fingerprintOfKey(was) })
const revoked = (line: number): KnownHostsVerdict => ({ status: 'revoked', line })
const unknown: KnownHostsVerdict = { status: 'unknown' }

// ---- ssh-keygen, when present: the reference implementation ----

const haveKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined
function needKeygen(ctx: TestContext): void {
  if (haveKeygen) return
  if (process.env.CI === 'true') throw new Error('ssh-keygen must be on PATH on CI')
  console.warn('ssh-keygen not on PATH: skipping the comparison against OpenSSH')
  ctx.skip('ssh-keygen not on PATH')
}
function keygen(args: string[]): string {
  const r = spawnSync('ssh-keygen', args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ssh-keygen ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

let dir = ''
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'known-hosts-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('keyTypeOf', () => {
  const cases: [string, Buffer, string | null][] = [
    ['ed25519', ed, 'ssh-ed25519'],
    ['ecdsa', ec, 'ecdsa-sha2-nistp256'],
    ['rsa', rsa, 'ssh-rsa'],
    ['empty', Buffer.alloc(0), null],
    ['short length prefix', Buffer.from([0, 0, 0]), null],
    ['zero-length string', u32(0), null],
    ['length past the end', Buffer.concat([u32(20), Buffer.from('ssh-rsa')]), null],
    ['non-printable type', sshString(Buffer.from([0x01, 0x02, 0x20])), null],
    ['random bytes', Buffer.from('ffffffff00', 'hex'), null],
  ]
  it.each(cases)('%s', (_name, blob, want) => expect(keyTypeOf(blob)).toBe(want))
})

describe('fingerprintOfKey', () => {
  it('matches a fixed ssh-keygen -lf vector', () => {
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U', 'base64')
    expect(fingerprintOfKey(blob)).toBe('SHA256:JhYZ5iJSemau/Q+WzI/VvTUha/mbh5f7qxs2OmZndJI')
  })

  it.for<[string, Buffer]>([
    ['ed25519', ed],
    ['ecdsa', ec],
    ['rsa', rsa],
  ])('matches ssh-keygen -lf for a fresh %s key', ([name, blob], ctx) => {
    needKeygen(ctx)
    const pub = join(dir, `${name}.pub`)
    writeFileSync(pub, kh('', blob, 'test@host').trimStart() + '\n')
    // "256 SHA256:... test@host (ED25519)": the second field is the fingerprint.
    const out = keygen(['-lf', pub]).trim().split(/\s+/)
    expect(fingerprintOfKey(blob)).toBe(out[1])
    expect(fingerprintOfKey(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })
})

describe('checkKnownHosts', () => {
  const saltA = randomBytes(20)
  const cases: [string, string, string, number, Buffer, KnownHostsVerdict][] = [
    // plain names
    ['plain entry, same key', file(kh(H, ed)), H, 22, ed, known(1)],
    ['case-insensitive host and pattern', file(kh('DB.Example.COM', ed)), 'db.EXAMPLE.com', 22, ed, known(1)],
    ['name in a comma list', file(kh(`web.example.com,${H},10.0.0.5`, ed)), H, 22, ed, known(1)],
    ['ecdsa key known', file(kh(H, ed2), kh(H, ec)), H, 22, ec, known(2)],
    ['rsa key known', file(kh(H, rsa)), H, 22, rsa, known(1)],
    ['first of several matching lines', file(kh('other', ed), kh(H, ed), kh('*.example.com', ed)), H, 22, ed, known(2)],
    // changed / unknown
    ['same type, different key: changed', file(kh('other', ed), kh(H, ed2)), H, 22, ed, changed(2, ed2)],
    ['known wins over a stale same-type line', file(kh(H, ed2), kh(H, ed)), H, 22, ed, known(2)],
    ['different type only: unknown', file(kh(H, ec), kh(H, rsa)), H, 22, ed, unknown],
    ['no entry for the host', file(kh('other.example.com', ed)), H, 22, ed, unknown],
    ['empty file', '', H, 22, ed, unknown],
    ['a prefix of the name does not match', file(kh('db.example', ed2)), H, 22, ed, unknown],
    // wildcards and negation
    ['* wildcard', file(kh('*.example.com', ed)), H, 22, ed, known(1)],
    ['? wildcard', file(kh('?b.example.com', ed)), H, 22, ed, known(1)],
    ['? matches exactly one character', file(kh('?.example.com', ed2)), H, 22, ed, unknown],
    ['wildcard with a different key: changed', file(kh('*.example.com', ed2)), H, 22, ed, changed(1, ed2)],
    ['dots are literal', file(kh('db-example-com', ed2)), H, 22, ed, unknown],
    ['negation excludes the line', file(kh(`*.example.com,!${H}`, ed)), H, 22, ed, unknown],
    ['negation excludes a changed key too', file(kh(`!${H},*.example.com`, ed2)), H, 22, ed, unknown],
    ['negation of another host leaves the match', file(kh('*.example.com,!web.example.com', ed)), H, 22, ed, known(1)],
    ['a negated pattern alone matches nothing', file(kh('!web.example.com', ed)), H, 22, ed, unknown],
    // ports
    ['bracketed port entry, same port', file(kh(`[${H}]:2222`, ed)), H, 2222, ed, known(1)],
    ['plain entry does not match a non-22 port', file(kh(H, ed)), H, 2222, ed, unknown],
    ['plain entry with another key does not make port 2222 changed', file(kh(H, ed2)), H, 2222, ed, unknown],
    ['bracketed port entry does not match port 22', file(kh(`[${H}]:2222`, ed)), H, 22, ed, unknown],
    ['bracketed port entry does not match another port', file(kh(`[${H}]:2222`, ed)), H, 2223, ed, unknown],
    ['[host]:22 is accepted for port 22', file(kh(`[${H}]:22`, ed)), H, 22, ed, known(1)],
    ['wildcard inside brackets', file(kh('[*.example.com]:2222', ed2)), H, 2222, ed, changed(1, ed2)],
    // hashed
    ['hashed entry', file(kh(hashed(H), ed)), H, 22, ed, known(1)],
    ['hashed entry is case-insensitive on the lookup', file(kh(hashed(H), ed)), 'DB.example.com', 22, ed, known(1)],
    ['hashed entry, different key', file(kh(hashed(H, saltA), ed2)), H, 22, ed, changed(1, ed2)],
    ['hashed entry for another host', file(kh(hashed('other.example.com'), ed)), H, 22, ed, unknown],
    ['hashed bracketed port', file(kh(hashed(`[${H}]:2222`), ed)), H, 2222, ed, known(1)],
    ['hashed plain name does not match port 2222', file(kh(hashed(H), ed)), H, 2222, ed, unknown],
    ['ssh-keygen -H vector, port 2222', file(
      '|1|xmvFzPhHJj1+XlFCUZNo9MV0J68=|vVG/omzsNgJBhn+lvzKGiznCuBQ= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U',
      '|1|XK9GF9alkmwaawF3HfC5xVtpF3c=|gEbFrrj8NQuWolUp9vvgW5k6E3g= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U',
    ), H, 2222, ed, changed(2, Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U', 'base64'))],
    ['ssh-keygen -H vector, port 22', file(
      '|1|xmvFzPhHJj1+XlFCUZNo9MV0J68=|vVG/omzsNgJBhn+lvzKGiznCuBQ= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U',
    ), H, 22, Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIIvHgk3IVl8ZRUdg1hOaxuKDqqHAbhXDTdsr+VYOqj8U', 'base64'), known(1)],
    ['malformed hashed field is skipped', file(kh('|1|!!|??', ed), kh(`|2|${hashed(H).slice(3)}`, ed)), H, 22, ed, unknown],
    // markers
    ['@revoked key', file(`@revoked ${kh(H, ed)}`), H, 22, ed, revoked(1)],
    ['revoked wins over a known line before it', file(kh(H, ed), `@revoked ${kh('*.example.com', ed)}`), H, 22, ed, revoked(2)],
    ['revoked other key leaves this key known', file(`@revoked ${kh(H, ed2)}`, kh(H, ed)), H, 22, ed, known(2)],
    ['revoked other key is not a "changed" entry', file(`@revoked ${kh(H, ed2)}`), H, 22, ed, unknown],
    ['revoked entry for another host does not apply', file(`@revoked ${kh('other', ed)}`, kh(H, ed)), H, 22, ed, known(2)],
    ['@cert-authority is ignored', file(`@cert-authority ${kh('*.example.com', ed)}`), H, 22, ed, unknown],
    ['@cert-authority with another key is not "changed"', file(`@cert-authority ${kh(H, ed2)}`, kh(H, ed)), H, 22, ed, known(2)],
    ['unknown marker: line skipped', file(`@trusted ${kh(H, ed)}`), H, 22, ed, unknown],
    // comments, blanks, malformed lines
    [
      'comments, blanks and malformed lines are skipped, line numbers count them',
      file(
        '# a comment',
        '',
        '   ',
        `  # indented comment ${kh(H, ed)}`,
        'garbage',
        `${H} ssh-ed25519`,
        `${H} ssh-ed25519 !!!not-base64!!!`,
        `${H} ssh-rsa ${ed.toString('base64')}`, // type field disagrees with the blob
        `${H} ssh-ed25519 ${Buffer.from('not a key').toString('base64')}`,
        `@revoked`,
        kh(H, ed, 'me@laptop with spaces'),
      ),
      H,
      22,
      ed,
      known(11),
    ],
    ['tabs and CRLF line endings', `# c\r\n${H}\tssh-ed25519\t${ed.toString('base64')}\tcomment\r\n`, H, 22, ed, known(2)],
    ['leading whitespace', `   ${kh(H, ed)}`, H, 22, ed, known(1)],
    ['server key malformed: never known, never changed', file(kh(H, ed)), H, 22, Buffer.from('junk'), unknown],
  ]
  it.each(cases)('%s', (_name, text, host, port, key, want) => {
    expect(checkKnownHosts(text, host, port, key)).toEqual(want)
  })
})

describe('checkKnownHostsFile', () => {
  it('reads a file', async () => {
    const path = join(dir, 'known_hosts')
    writeFileSync(path, file(kh('other', ed2), kh(`[${H}]:2222`, ec)))
    await expect(checkKnownHostsFile(path, H, 2222, ec)).resolves.toEqual(known(2))
    await expect(checkKnownHostsFile(path, H, 22, ec)).resolves.toEqual(unknown)
  })

  it('a missing file is unknown', async () => {
    await expect(checkKnownHostsFile(join(dir, 'nope', 'known_hosts'), H, 22, ed)).resolves.toEqual(unknown)
  })

  it('other read errors throw, naming the path', async () => {
    const path = join(dir, 'a-directory')
    mkdirSync(path)
    await expect(checkKnownHostsFile(path, H, 22, ed)).rejects.toThrow(path)
  })

  it('reads a file hashed by ssh-keygen -H', async (ctx) => {
    needKeygen(ctx)
    const path = join(dir, 'hashed_known_hosts')
    writeFileSync(path, file('# hosts', kh(`${H},10.0.0.5`, ed), kh(`[${H}]:2222`, ec), kh('web.example.com', rsa)))
    keygen(['-q', '-H', '-f', path])
    const text = readFileSync(path, 'utf8')
    expect(text).toContain('|1|')
    expect(text).not.toContain('example.com')
    expect(text).not.toContain('10.0.0.5')
    const check = (host: string, port: number, key: Buffer) => checkKnownHostsFile(path, host, port, key)
    await expect(check(H, 22, ed)).resolves.toMatchObject({ status: 'known' })
    await expect(check('10.0.0.5', 22, ed)).resolves.toMatchObject({ status: 'known' })
    await expect(check(H, 2222, ec)).resolves.toMatchObject({ status: 'known' })
    await expect(check('web.example.com', 22, rsa)).resolves.toMatchObject({ status: 'known' })
    await expect(check(H, 22, ed2)).resolves.toMatchObject({ status: 'changed', expectedFingerprint: fingerprintOfKey(ed) })
    await expect(check(H, 2222, ed)).resolves.toEqual(unknown)
    await expect(check('other.example.com', 22, ed)).resolves.toEqual(unknown)
  })
})

it('defaultKnownHostsPath is ~/.ssh/known_hosts', () => {
  expect(defaultKnownHostsPath()).toBe(join(homedir(), '.ssh', 'known_hosts'))
})
