import { afterAll, beforeAll, expect, it } from 'vitest'
import { probeConnection } from '../../src/main/core/engines'
import { numericVersion } from '../../src/main/core/engines/client-tools'
import type { ProbeOptions } from '../../src/main/core/engines/probe'
import { connectionTestResultSchema, type ConnectionTestResult, type ProfileConfig } from '../../src/shared/model'
import { freePort } from '../support/free-port'
import { fakeTool, silentServer, tempDirs } from '../support/probe-fixtures'
import { describeWith } from '../support/skip'
import { mariadbSql, mysqlLiteral } from '../support/sql'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

const NO_GRANTS_PASSWORD = `no'grants\\pw €`
const GLOBAL_READER_PASSWORD = 'reader:pw#1'

describeWith('mariadb', 'MariaDB connection probe', (m) => {
  const dirs = tempDirs()
  const results: ConnectionTestResult[] = []
  const timings: string[] = []
  const profile = (over: Partial<MysqlProfile> = {}): MysqlProfile => ({
    engine: 'mysql',
    name: 'mdb',
    tag: null,
    host: m.host,
    port: m.port,
    user: m.user,
    database: m.database,
    clientBinDir: null,
    ...over,
  })
  const probe = async (label: string, p: MysqlProfile, password: string | undefined, options: Partial<ProbeOptions> = {}) => {
    const result = await probeConnection(p, password, { timeoutMs: 5_000, ...options })
    expect(() => connectionTestResultSchema.parse(result)).not.toThrow()
    results.push(result)
    timings.push(`${label} ${result.durationMs} ms`)
    return result
  }
  const onlyClientBinDir: Partial<ProbeOptions> = { toolPath: '', searchWellKnownDirs: false }

  beforeAll(async () => {
    await mariadbSql(
      m,
      [
        `CREATE USER IF NOT EXISTS 'nogrants'@'127.0.0.1' IDENTIFIED BY ${mysqlLiteral(NO_GRANTS_PASSWORD)}`,
        `CREATE USER IF NOT EXISTS 'reader'@'127.0.0.1' IDENTIFIED BY ${mysqlLiteral(GLOBAL_READER_PASSWORD)}`,
        "GRANT SELECT ON *.* TO 'reader'@'127.0.0.1'",
      ].join('; '),
    )
  })
  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[probe timings] mariadb: ${timings.join(', ')}`)
  })

  it('reports MariaDB, its version and mariadb-dump', async () => {
    const r = await probe('ok', profile(), m.password)
    expect(r.error).toBeNull()
    expect(r.ok).toBe(true)
    expect(r.server).toEqual({ product: 'MariaDB', version: numericVersion(m.version) })
    expect(r.tool?.name).toBe('mariadb-dump')
    expect(r.tool?.version).toMatch(/-MariaDB$/)
    expect(r.warnings).toEqual([])
  })

  it('wrong password -> AUTH_FAILED', async () => {
    const r = await probe('wrong-password', profile(), 'not the password')
    expect(r.ok).toBe(false)
    expect(r.error?.code).toBe('AUTH_FAILED')
    expect(r.error?.message).toBe(
      `Access denied for user 'app'@'127.0.0.1' (using password: YES) on 127.0.0.1:${m.port} — wrong password, or no such user for this client host`,
    )
    expect(r.tool?.name).toBe('mariadb-dump')
  })

  it('no saved password -> AUTH_FAILED saying none is saved', async () => {
    const r = await probe('no-password', profile(), undefined)
    expect(r.error?.code).toBe('AUTH_FAILED')
    expect(r.error?.message).toBe(`the server asks for a password and none is saved (user "app" on 127.0.0.1:${m.port})`)
  })

  it('unknown database, for a user with global privileges -> UNKNOWN_DATABASE', async () => {
    const r = await probe('unknown-db', profile({ user: 'reader', database: 'no_such_db' }), GLOBAL_READER_PASSWORD)
    expect(r.error).toEqual({
      code: 'UNKNOWN_DATABASE',
      message: `database "no_such_db" does not exist on 127.0.0.1:${m.port} (connected as "reader")`,
      field: 'database',
    })
  })

  it('a user without grants on the database -> PERMISSION_DENIED', async () => {
    const r = await probe('permission-denied', profile({ user: 'nogrants' }), NO_GRANTS_PASSWORD)
    expect(r.error).toEqual({
      code: 'PERMISSION_DENIED',
      message: `user "nogrants" has no access to database "app" on 127.0.0.1:${m.port} — it does not exist, or the user has no privileges on it (GRANT ... ON \`app\`.*)`,
      field: 'database',
    })
    expect(r.error?.message).not.toContain(NO_GRANTS_PASSWORD)
  })

  it('unknown database, for a user with grants on one database only -> PERMISSION_DENIED (the server hides which exist)', async () => {
    const r = await probe('unknown-db-app', profile({ database: 'no_such_db' }), m.password)
    expect(r.error?.code).toBe('PERMISSION_DENIED')
    expect(r.error?.message).toContain('it does not exist, or the user has no privileges on it')
  })

  it('refused port -> UNREACHABLE, fast', async () => {
    const port = await freePort()
    const r = await probe('refused', profile({ port }), m.password)
    expect(r.error?.code).toBe('UNREACHABLE')
    expect(r.error?.message).toBe(`connection refused at 127.0.0.1:${port} — is the server running and listening there?`)
    expect(r.durationMs).toBeLessThan(1_000)
  })

  it('a server that never answers -> TIMEOUT within the bound', async () => {
    const blackhole = await silentServer()
    try {
      const started = performance.now()
      const r = await probe('timeout', profile({ port: blackhole.port }), m.password, { timeoutMs: 300 })
      const wall = performance.now() - started
      expect(r.error?.code).toBe('TIMEOUT')
      expect(r.error?.message).toBe(`no answer from 127.0.0.1:${blackhole.port} within 0.3 s — check the host, port and firewall`)
      expect(wall).toBeLessThan(1_000)
    } finally {
      await blackhole.close()
    }
  })

  it('no dump tool anywhere -> TOOL_MISSING, with the server still reported', async () => {
    const empty = await dirs.make()
    const r = await probe('tool-missing', profile({ clientBinDir: empty }), m.password, onlyClientBinDir)
    expect(r.ok).toBe(false)
    expect(r.server?.product).toBe('MariaDB')
    expect(r.tool).toBeNull()
    expect(r.error?.code).toBe('TOOL_MISSING')
    expect(r.error?.message).toBe(
      `mariadb-dump / mysqldump not found (looked in ${empty} (client tools directory)) — install mariadb-client, or set the client tools directory`,
    )
  })

  it("only Oracle's mysqldump -> usable, with a warning", async () => {
    const dir = await dirs.make()
    const fake = await fakeTool(dir, 'mysqldump', 'mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)')
    const r = await probe('oracle-tool', profile({ clientBinDir: dir }), m.password, onlyClientBinDir)
    expect(r.ok).toBe(true)
    expect(r.tool).toEqual({ name: 'mysqldump', path: fake, version: '8.0.36' })
    expect(r.warnings).toHaveLength(1)
    expect(r.warnings[0]).toMatch(/is Oracle's build; against MariaDB .* install mariadb-client$/)
  })

  it('never puts a password into a message or warning', () => {
    expect(results.length).toBeGreaterThan(5)
    for (const r of results) {
      expect(r.error?.message ?? '').not.toContain(m.password)
      for (const w of r.warnings) expect(w).not.toContain(m.password)
    }
  })
})
