import { describe, expect, it } from 'vitest'
import { cli } from '../support/cli-in-process'
import { tempDir } from '../support/temp-home'

describe('lifeboat CLI (in-process)', () => {
  it('exit codes: --help and --version 0, a missing or unknown command 2', async () => {
    expect((await cli(['--help'])).code).toBe(0)
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
    expect((await cli([])).code).toBe(2)
    expect((await cli(['profile'])).code).toBe(2)
    const unknown = await cli(['profil'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'profil'")
  })

  it('--json turns a usage error into exactly one JSON document on stdout', async () => {
    const r = await cli(['profile', 'add', 'x', '--engine', 'sqlite', '--nope', '--json'])
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'VALIDATION', message: expect.stringMatching(/^unknown option '--nope'/) } })
  })

  it('names the flag that does not fit the engine', async () => {
    expect(await cli(['profile', 'add', 'x', '--engine', 'sqlite', '--file', 'a.db', '--host', 'h'])).toMatchObject({
      code: 2,
      stderr: 'error: --host: does not apply to --engine sqlite (use --file)\n',
    })
    expect(await cli(['profile', 'add', 'x', '--engine', 'mysql', '--user', 'u', '--database', 'd', '--file', 'a.db'])).toMatchObject({
      code: 2,
      stderr: 'error: --file: applies only to --engine sqlite\n',
    })
    expect(await cli(['profile', 'add', 'x', '--engine', 'postgres', '--user', 'u', '--database', 'd', '--password-env', 'A', '--password-stdin'])).toMatchObject({
      code: 2,
      stderr: 'error: --password-stdin: use either --password-env or --password-stdin, not both\n',
    })
    expect(await cli(['profile', 'add', 'bad name', '--engine', 'sqlite', '--file', 'a.db'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: NAME: letters, digits/) })
    expect(await cli(['profile', 'add', 'x', '--engine', 'sqlite', '--file', 'a.db', '--tag', 'prod'])).toMatchObject({
      code: 2,
      stderr: 'error: --tag: expected production, staging or dev (got "prod")\n',
    })
  })

  it('add, edit (rename, change, clear password), list and remove', async () => {
    const home = tempDir()
    const add = await cli(['profile', 'add', 'shop', '--engine', 'postgres', '--user', 'u', '--database', 'shop', '--password-stdin'], { home, stdin: 'pw-from-stdin\r\n' })
    expect(add).toMatchObject({ code: 0, stdout: 'Added profile "shop": PostgreSQL u@localhost:5432/shop, password saved\n' })
    expect((await cli(['profile', 'add', 'SHOP', '--engine', 'sqlite', '--file', 'x.db'], { home })).code).toBe(2) // name taken

    const edit = await cli(['profile', 'edit', 'shop', '--rename', 'shop-prod', '--port', '6432', '--tag', 'production', '--json'], { home })
    expect(JSON.parse(edit.stdout)).toMatchObject({ name: 'shop-prod', port: 6432, user: 'u', tag: 'production', hasPassword: true })
    const cleared = await cli(['profile', 'edit', 'shop-prod', '--clear-password', '--tag', 'none', '--json'], { home })
    expect(JSON.parse(cleared.stdout)).toMatchObject({ hasPassword: false, tag: null, port: 6432 })

    const list = await cli(['profile', 'list'], { home })
    expect(list.stdout).toBe(['NAME       ENGINE    TARGET                 TAG  PASSWORD', 'shop-prod  postgres  u@localhost:6432/shop  -    -', ''].join('\n'))
    expect((await cli(['profile', 'remove', 'shop-prod'], { home })).code).toBe(0)
    expect((await cli(['profile', 'remove', 'shop-prod'], { home })).code).toBe(1)
  })

  it('resolves a relative sqlite --file against the current directory', async () => {
    const r = await cli(['profile', 'add', 'notes', '--engine', 'sqlite', '--file', 'data/notes.db', '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({ file: '/work/data/notes.db' })
  })
})
