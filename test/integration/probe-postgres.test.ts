import { realpath } from 'node:fs/promises'
import { afterAll, expect, it } from 'vitest'
import { probeConnection } from '../../src/main/core/engines'
import { findPgCompanion, pgMajorOf } from '../../src/main/core/engines/client-tools'
import type { ProbeOptions } from '../../src/main/core/engines/probe'
import { connectionTestResultSchema, type ConnectionTestResult, type ProfileConfig } from '../../src/shared/model'
import { freePort } from '../support/free-port'
import { fakeTool, silentServer, tempDirs } from '../support/probe-fixtures'
import { TLS_ONLY_ROLE } from '../support/postgres-server'
import { describeWith } from '../support/skip'
import { pgLiteral, psql } from '../support/sql'

type PgProfile = Extract<ProfileConfig, { engine: 'postgres' }>

const TLS_PASSWORD = `tls'pw:\\x`

describeWith('postgres', 'PostgreSQL connection probe', (pg) => {
  const dirs = tempDirs()
  const results: ConnectionTestResult[] = []
  const timings: string[] = []
  const profile = (over: Partial<PgProfile> = {}): PgProfile => ({
    engine: 'postgres',
    name: 'pg',
    tag: null,
    host: pg.host,
    port: pg.port,
    user: pg.user,
    database: pg.database,
    clientBinDir: null,
    ...over,
  })
  const probe = async (label: string, p: PgProfile, password: string | undefined, options: Partial<ProbeOptions> = {}) => {
    const result = await probeConnection(p, password, { timeoutMs: 5_000, ...options })
    expect(() => connectionTestResultSchema.parse(result)).not.toThrow()
    results.push(result)
    timings.push(`${label} ${result.durationMs} ms`)
    return result
  }
  /** Tool discovery that sees nothing but `dir`. */
  const onlyDir = (dir: string): Partial<ProbeOptions> => ({ toolPath: '', searchWellKnownDirs: false, extraToolDirs: [dir] })

  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[probe timings] postgres: ${timings.join(', ')}`)
  })

  it('reports the server version and a pg_dump at least as new as the server', async () => {
    const r = await probe('ok', profile(), pg.password)
    expect(r.error).toBeNull()
    expect(r.ok).toBe(true)
    expect(r.server).toEqual({ product: 'PostgreSQL', version: pg.version })
    expect(r.tool?.name).toBe('pg_dump')
    expect(pgMajorOf(r.tool?.version ?? '')?.key).toBeGreaterThanOrEqual(pgMajorOf(pg.version)?.key ?? Infinity)
    // the real binary, not Debian's /usr/bin/pg_dump dispatcher (pg_wrapper)
    expect(await realpath(r.tool?.path ?? '')).not.toMatch(/pg_wrapper$/)
    expect(r.warnings).toEqual([])
  })

  it('a server that accepts this user over TLS only: retries with TLS, as pg_dump (sslmode=prefer) would', async (ctx) => {
    if ((await psql(pg, 'SHOW ssl')) !== 'on') {
      if (process.env.CI === 'true') throw new Error('CI=true: the test server has no TLS (openssl missing)')
      ctx.skip('the test server has no TLS (openssl missing)')
    }
    await psql(pg, [`DROP ROLE IF EXISTS ${TLS_ONLY_ROLE}`, `CREATE ROLE ${TLS_ONLY_ROLE} LOGIN PASSWORD ${pgLiteral(TLS_PASSWORD)}`])
    const r = await probe('tls-only', profile({ user: TLS_ONLY_ROLE, database: 'postgres' }), TLS_PASSWORD)
    expect(r.error).toBeNull()
    expect(r.server?.version).toBe(pg.version)
    const wrong = await probe('tls-only-wrong-password', profile({ user: TLS_ONLY_ROLE, database: 'postgres' }), 'nope')
    expect(wrong.error?.message).toBe(`password authentication failed for user "${TLS_ONLY_ROLE}" on 127.0.0.1:${pg.port}`)
  })

  it('finds pg_restore and psql next to the chosen pg_dump', async () => {
    const r = await probe('ok-companions', profile(), pg.password)
    if (!r.tool) throw new Error('no pg_dump')
    const restore = await findPgCompanion(r.tool, 'pg_restore')
    const psql = await findPgCompanion(r.tool, 'psql')
    expect(restore.version).toBe(r.tool.version)
    expect(psql.version).toBe(r.tool.version)
    await expect(findPgCompanion({ ...r.tool, path: '/nonexistent/bin/pg_dump' }, 'psql')).rejects.toMatchObject({ code: 'TOOL_MISSING' })
  })

  it('wrong password -> AUTH_FAILED naming the user and endpoint', async () => {
    const r = await probe('wrong-password', profile(), 'not the password')
    expect(r.ok).toBe(false)
    expect(r.error).toEqual({
      code: 'AUTH_FAILED',
      message: `password authentication failed for user "app" on 127.0.0.1:${pg.port}`,
      field: 'password',
    })
    expect(r.server).toBeNull()
    expect(r.tool?.name).toBe('pg_dump') // still reported: found while connecting
  })

  it('no saved password -> AUTH_FAILED saying none is saved', async () => {
    const r = await probe('no-password', profile(), undefined)
    expect(r.error?.code).toBe('AUTH_FAILED')
    expect(r.error?.message).toBe(`the server asks for a password and none is saved (user "app" on 127.0.0.1:${pg.port})`)
  })

  it('unknown database -> UNKNOWN_DATABASE', async () => {
    const r = await probe('unknown-db', profile({ database: 'no_such_db' }), pg.password)
    expect(r.error?.code).toBe('UNKNOWN_DATABASE')
    expect(r.error?.message).toBe(`database "no_such_db" does not exist on 127.0.0.1:${pg.port} (connected as "app")`)
    expect(r.error?.field).toBe('database')
  })

  it('refused port -> UNREACHABLE, fast', async () => {
    const port = await freePort()
    const r = await probe('refused', profile({ port }), pg.password)
    expect(r.error?.code).toBe('UNREACHABLE')
    expect(r.error?.message).toBe(`connection refused at 127.0.0.1:${port} — is the server running and listening there?`)
    expect(r.durationMs).toBeLessThan(1_000)
  })

  it('unknown host -> UNREACHABLE host not found', async () => {
    const r = await probe('unknown-host', profile({ host: 'no-such-host.invalid' }), pg.password)
    expect(r.error?.code).toBe('UNREACHABLE')
    expect(r.error?.message).toMatch(/^host not found: "no-such-host\.invalid"/)
  })

  it('a server that never answers -> TIMEOUT within the bound', async () => {
    const blackhole = await silentServer()
    try {
      const started = performance.now()
      const r = await probe('timeout', profile({ port: blackhole.port }), pg.password, { timeoutMs: 300 })
      const wall = performance.now() - started
      expect(r.error?.code).toBe('TIMEOUT')
      expect(r.error?.message).toBe(`no answer from 127.0.0.1:${blackhole.port} within 0.3 s — check the host, port and firewall`)
      expect(wall).toBeGreaterThanOrEqual(250)
      expect(wall).toBeLessThan(1_000)
    } finally {
      await blackhole.close()
    }
  })

  it('a cancelled probe rejects with the signal reason, promptly', async () => {
    const blackhole = await silentServer()
    try {
      const controller = new AbortController()
      const started = performance.now()
      setTimeout(() => controller.abort(new Error('user cancelled')), 100)
      await expect(probeConnection(profile({ port: blackhole.port }), pg.password, { timeoutMs: 5_000, signal: controller.signal })).rejects.toThrow(
        'user cancelled',
      )
      expect(performance.now() - started).toBeLessThan(1_000)
    } finally {
      await blackhole.close()
    }
  })

  it('no pg_dump anywhere -> TOOL_MISSING, with the server still reported', async () => {
    const empty = await dirs.make()
    const r = await probe('tool-missing', profile({ clientBinDir: empty }), pg.password, { toolPath: '', searchWellKnownDirs: false })
    expect(r.ok).toBe(false)
    expect(r.server?.version).toBe(pg.version)
    expect(r.tool).toBeNull()
    expect(r.error?.code).toBe('TOOL_MISSING')
    expect(r.error?.message).toContain(`looked in ${empty} (client tools directory)`)
    expect(r.error?.message).toContain(`install postgresql-client-${pgMajorOf(pg.version)?.label}`)
  })

  it('only an old pg_dump -> VERSION_MISMATCH naming versions, path and what to install', async () => {
    const dir = await dirs.make()
    const fake = await fakeTool(dir, 'pg_dump', 'pg_dump (PostgreSQL) 9.6.24')
    const r = await probe('version-mismatch', profile({ clientBinDir: dir }), pg.password, { toolPath: '', searchWellKnownDirs: false })
    expect(r.ok).toBe(false)
    expect(r.server?.version).toBe(pg.version)
    expect(r.tool).toBeNull()
    expect(r.error?.code).toBe('VERSION_MISMATCH')
    const major = pgMajorOf(pg.version)?.label
    expect(r.error?.message).toBe(
      `pg_dump is older than the server (PostgreSQL ${pg.version}): found pg_dump 9.6.24 at ${fake} — install postgresql-client-${major} or newer, or set the client tools directory`,
    )
  })

  it('an old pg_dump in the client tools directory loses to a matching one elsewhere, with a warning', async () => {
    const old = await dirs.make()
    await fakeTool(old, 'pg_dump', 'pg_dump (PostgreSQL) 9.6.24')
    const r = await probe('override-too-old', profile({ clientBinDir: old }), pg.password, { ...onlyDir(pg.binDir) })
    expect(r.ok).toBe(true)
    expect(r.tool?.path).toBe(`${pg.binDir}/pg_dump`)
    expect(r.warnings[0]).toMatch(/^the pg_dump in the client tools directory .* is older than the server/)
  })

  it('never puts the password into a message or warning', () => {
    expect(results.length).toBeGreaterThan(5)
    for (const r of results) {
      expect(r.error?.message ?? '').not.toContain(pg.password)
      for (const w of r.warnings) expect(w).not.toContain(pg.password)
    }
  })
})

