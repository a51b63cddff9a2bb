import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { isAvailable } from '../support/context'
import { CLI, REPO, runBuiltCli } from '../support/run-cli'
import { tempDir } from '../support/temp-home'

const servers = inject('servers')
const pg = servers.postgres
const maria = servers.mariadb
// Without a build there is nothing to run; under CI that is a failure (the tests run and fail), not a skip.
const skip = !existsSync(join(REPO, 'out', 'main', 'cli.js')) && process.env.CI !== 'true'

describe.skipIf(skip)(`lifeboat profile (built CLI ${CLI}; skipped unless \`npm run build\` ran)`, () => {
  describe.skipIf(!isAvailable(pg))(`against PostgreSQL${isAvailable(pg) ? '' : ` (skipped: ${pg.unavailable})`}`, () => {
    if (!isAvailable(pg)) return

    it('add / test / list / remove with --password-env; the password never reaches the store, the log or a child argv/env', async () => {
      const home = tempDir()
      const spawnLog = join(home, 'spawns.jsonl')
      const env = {
        LIFEBOAT_HOME: home,
        PG_PW_FOR_TEST: pg.password,
        NODE_OPTIONS: `--require ${join(REPO, 'test', 'support', 'spawn-spy.cjs')}`,
        LIFEBOAT_SPAWN_LOG: spawnLog,
      }
      const add = await runBuiltCli(
        ['profile', 'add', 'pg-main', '--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', pg.database, '--password-env', 'PG_PW_FOR_TEST', '--tag', 'staging', '--json'],
        { env },
      )
      expect(add.stderr).toBe('')
      expect(add.code).toBe(0)
      expect(JSON.parse(add.stdout)).toMatchObject({ name: 'pg-main', engine: 'postgres', port: pg.port, hasPassword: true, tag: 'staging' })

      const test = await runBuiltCli(['profile', 'test', 'pg-main', '--json'], { env })
      expect(test.code, test.stderr).toBe(0)
      const result = JSON.parse(test.stdout)
      expect(result).toMatchObject({ ok: true, server: { product: 'PostgreSQL', version: pg.version }, tool: { name: 'pg_dump' } })

      const human = await runBuiltCli(['profile', 'test', 'pg-main'], { env })
      expect(human.stdout).toMatch(new RegExp(`^ok: PostgreSQL ${pg.version.replace('.', '\\.')} · pg_dump \\d+`))

      const list = await runBuiltCli(['profile', 'list'], { env })
      expect(list.code).toBe(0)
      expect(list.stdout).toMatch(/NAME\s+ENGINE\s+TARGET\s+TAG\s+PASSWORD/)
      expect(list.stdout).toContain(`pg-main  postgres  ${pg.user}@127.0.0.1:${pg.port}/${pg.database}  staging  saved`)

      // The three places a password could leak: the store, the log, and any child process.
      const secret = Buffer.from(pg.password)
      for (const f of readdirSync(home).filter((f) => f.startsWith('lifeboat.db'))) {
        expect(readFileSync(join(home, f)).includes(secret), f).toBe(false)
      }
      const log = readFileSync(join(home, 'logs', 'lifeboat.log'), 'utf8')
      expect(log).toContain('connection test')
      expect(log).not.toContain(pg.password)
      const spawns = readFileSync(spawnLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; args: string[]; env: unknown })
      expect(spawns.some((s) => /pg_dump/.test(s.file))).toBe(true) // the spy saw the tool probe
      for (const s of spawns) {
        expect(JSON.stringify(s.args)).not.toContain(pg.password)
        expect(JSON.stringify(s.env)).not.toContain(pg.password)
      }

      const remove = await runBuiltCli(['profile', 'remove', 'pg-main'], { env })
      expect(remove).toMatchObject({ code: 0, stdout: 'Removed profile "pg-main"\n' })
      expect(JSON.parse((await runBuiltCli(['profile', 'list', '--json'], { env })).stdout)).toEqual([])
      expect(readFileSync(join(home, 'secrets.json'), 'utf8')).not.toContain(pg.password)
    })

    it('--password-stdin works; a wrong password is a one-line AUTH error with exit 1', async () => {
      const home = tempDir()
      const common = ['--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', pg.database, '--password-stdin', '--home', home]
      expect((await runBuiltCli(['profile', 'add', 'good', ...common], { stdin: pg.password + '\n' })).code).toBe(0)
      expect((await runBuiltCli(['profile', 'test', 'good', '--home', home])).code).toBe(0)

      expect((await runBuiltCli(['profile', 'add', 'bad', ...common], { stdin: 'definitely-wrong\n' })).code).toBe(0)
      const bad = await runBuiltCli(['profile', 'test', 'bad', '--home', home])
      expect(bad.code).toBe(1)
      expect(bad.stdout).toBe('')
      expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1)
      expect(bad.stderr).toMatch(/^error: .*password authentication failed for user/)
      const json = await runBuiltCli(['profile', 'test', 'bad', '--home', home, '--json'])
      expect(json.code).toBe(1)
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED' } })
    })
  })

  describe.skipIf(!isAvailable(maria))(`against MariaDB${isAvailable(maria) ? '' : ` (skipped: ${maria.unavailable})`}`, () => {
    if (!isAvailable(maria)) return
    it('add / test / remove', async () => {
      const home = tempDir()
      const env = { LIFEBOAT_HOME: home, MY_PW: maria.password }
      const add = await runBuiltCli(['profile', 'add', 'maria', '--engine', 'mysql', '--host', '127.0.0.1', '--port', String(maria.port), '--user', maria.user, '--database', maria.database, '--password-env', 'MY_PW'], { env })
      expect(add.code, add.stderr).toBe(0)
      const test = await runBuiltCli(['profile', 'test', 'maria', '--json'], { env })
      expect(test.code, test.stdout).toBe(0)
      expect(JSON.parse(test.stdout)).toMatchObject({ ok: true, server: { product: 'MariaDB' }, tool: { name: expect.stringMatching(/mariadb-dump|mysqldump/) } })
      expect((await runBuiltCli(['profile', 'remove', 'maria'], { env })).code).toBe(0)
    })
  })

  it('a bad flag exits 2 naming the flag; bad values exit 2 naming the flag and the expectation', async () => {
    const home = tempDir()
    const unknown = await runBuiltCli(['profile', 'add', 'x', '--engine', 'postgres', '--bogus', '1', '--home', home])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown option '--bogus'")

    const port = await runBuiltCli(['profile', 'add', 'x', '--engine', 'postgres', '--user', 'u', '--database', 'd', '--port', '70000', '--home', home])
    expect(port.code).toBe(2)
    expect(port.stderr).toBe('error: --port: expected a port between 1 and 65535 (got "70000")\n')

    const engine = await runBuiltCli(['profile', 'add', 'x', '--engine', 'oracle', '--home', home])
    expect(engine).toMatchObject({ code: 2, stderr: expect.stringContaining('--engine: expected engine postgres, mysql or sqlite') })

    const missingUser = await runBuiltCli(['profile', 'add', 'x', '--engine', 'postgres', '--database', 'd', '--home', home])
    expect(missingUser).toMatchObject({ code: 2, stderr: 'error: --user: is required for --engine postgres\n' })

    const env = await runBuiltCli(['profile', 'add', 'x', '--engine', 'postgres', '--user', 'u', '--database', 'd', '--password-env', 'NOT_SET_ANYWHERE', '--home', home])
    expect(env).toMatchObject({ code: 2, stderr: 'error: --password-env: environment variable NOT_SET_ANYWHERE is not set or empty\n' })

    const missing = await runBuiltCli(['profile', 'test', 'nope', '--home', home])
    expect(missing).toMatchObject({ code: 1, stderr: 'error: no profile named "nope"\n' })
    expect(JSON.parse((await runBuiltCli(['profile', 'list', '--json', '--home', home])).stdout)).toEqual([]) // nothing was saved
  })
})
