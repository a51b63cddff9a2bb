import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { restoreCommands, shellQuote, type RestoreSource } from '../../src/shared/restore-commands'
import { tempDir } from '../support/temp-home'

const exec = promisify(execFile)
const SHA = 'a'.repeat(64)
const base = { sha256: SHA, encryption: null } as const
const source = (s: Partial<RestoreSource> & Pick<RestoreSource, 'engine' | 'format' | 'compression' | 'fileName'>): RestoreSource => ({ ...base, ...s })
const commands = (s: RestoreSource) => restoreCommands(s).flatMap((g) => g.commands)

const hasTools = (...tools: string[]) => tools.every((t) => ['/usr/bin', '/usr/local/bin', '/bin'].some((d) => existsSync(join(d, t))))
/** Runs each command like a DBA pasting it into bash, failing on the first error anywhere in a pipe. */
async function runInShell(cwd: string, lines: string[]): Promise<string> {
  const { stdout } = await exec('bash', ['-c', `set -euo pipefail\n${lines.join('\n')}`], { cwd })
  return stdout
}

describe('restoreCommands', () => {
  it('PostgreSQL custom + zstd: streams into pg_restore, or unpacks first for parallel jobs', () => {
    const groups = restoreCommands(source({ engine: 'postgres', format: 'custom', compression: 'zstd', fileName: 'backup_2026-01-02_03-04-05_0123abcd.dump.zst' }))
    expect(groups.map((g) => g.title)).toEqual([
      'Check the file',
      'Create the target database (if it does not exist)',
      'Restore (streaming, no temporary file)',
      'Or: unpack first, then restore with parallel jobs',
    ])
    expect(groups[0]?.commands).toEqual([`echo '${SHA}  backup_2026-01-02_03-04-05_0123abcd.dump.zst' | sha256sum -c -`])
    expect(groups[2]?.commands).toEqual([
      'zstd -dc backup_2026-01-02_03-04-05_0123abcd.dump.zst | pg_restore --no-owner --no-privileges --clean --if-exists --exit-on-error -h <host> -p <port> -U <user> -d <target_db>',
    ])
    expect(groups[3]?.commands[1]).toBe('pg_restore --no-owner --no-privileges --clean --if-exists --exit-on-error -h <host> -p <port> -U <user> -d <target_db> -j 4 restore.dump')
  })

  it('PostgreSQL custom, uncompressed: pg_restore reads the file itself, in parallel', () => {
    expect(commands(source({ engine: 'postgres', format: 'custom', compression: 'none', fileName: 'b.dump' }))).toContain(
      'pg_restore --no-owner --no-privileges --clean --if-exists --exit-on-error -h <host> -p <port> -U <user> -d <target_db> -j 4 b.dump',
    )
  })

  it('PostgreSQL plain + gzip + passphrase: age asks on the terminal, psql stops at the first error', () => {
    const groups = restoreCommands(source({ engine: 'postgres', format: 'plain', compression: 'gzip', encryption: 'passphrase', fileName: 'b.sql.gz.age' }))
    const restore = groups.find((g) => g.title === 'Restore')
    expect(restore?.commands).toEqual(['age -d b.sql.gz.age | gunzip -c | psql -X -v ON_ERROR_STOP=1 --single-transaction -h <host> -p <port> -U <user> -d <target_db>'])
    expect(restore?.note).toMatch(/asks for the passphrase/)
  })

  it('MySQL plain: mariadb in utf8mb4, with a hint for Oracle MySQL clients', () => {
    const groups = restoreCommands(source({ engine: 'mysql', format: 'plain', compression: 'none', fileName: 'b.sql' }))
    expect(groups[1]?.commands).toEqual(["mariadb --default-character-set=utf8mb4 -h <host> -P <port> -u <user> -p -e 'CREATE DATABASE IF NOT EXISTS `<target_db>` CHARACTER SET utf8mb4'"])
    expect(groups[2]?.commands).toEqual(['mariadb --default-character-set=utf8mb4 -h <host> -P <port> -u <user> -p <target_db> < b.sql'])
    expect(groups[2]?.note).toMatch(/run mysql instead of mariadb/)
    expect(commands(source({ engine: 'mysql', format: 'plain', compression: 'zstd', encryption: 'recipient', fileName: 'b.sql.zst.age' }))).toContain(
      'age -d -i key.txt b.sql.zst.age | zstd -dc | mariadb --default-character-set=utf8mb4 -h <host> -P <port> -u <user> -p <target_db>',
    )
  })

  it('SQLite file: unpacking is the restore, then an integrity check', () => {
    expect(commands(source({ engine: 'sqlite', format: 'sqlite', compression: 'zstd', fileName: 'b.sqlite.zst' }))).toEqual([
      `echo '${SHA}  b.sqlite.zst' | sha256sum -c -`,
      'zstd -d b.sqlite.zst -o restored.sqlite',
      "sqlite3 restored.sqlite 'PRAGMA integrity_check'",
    ])
    expect(commands(source({ engine: 'sqlite', format: 'sqlite', compression: 'none', fileName: 'b.sqlite' }))[1]).toBe('cp b.sqlite restored.sqlite')
    expect(commands(source({ engine: 'sqlite', format: 'sqlite', compression: 'none', encryption: 'passphrase', fileName: 'b.sqlite.age' }))[1]).toBe(
      'age -d -o restored.sqlite b.sqlite.age',
    )
  })

  it('fills in a known target, quoting what the shell would otherwise split', () => {
    const groups = restoreCommands(source({ engine: 'postgres', format: 'plain', compression: 'none', fileName: "it's here.sql" }), {
      host: 'db.example.com',
      port: 5433,
      user: 'dba',
      database: 'shop copy',
    })
    expect(groups.find((g) => g.title === 'Restore')?.commands).toEqual([
      `psql -X -v ON_ERROR_STOP=1 --single-transaction -h db.example.com -p 5433 -U dba -d 'shop copy' -f 'it'\\''s here.sql'`,
    ])
    expect(shellQuote('backup_2026-01-02_03-04-05_0123abcd_pre-upgrade.sql.gz')).toBe('backup_2026-01-02_03-04-05_0123abcd_pre-upgrade.sql.gz')
    expect(shellQuote('$(rm -rf ~)')).toBe("'$(rm -rf ~)'")
  })

  it('says so when no checksum was recorded', () => {
    const [check] = restoreCommands(source({ engine: 'sqlite', format: 'plain', compression: 'none', fileName: 'b.sql', sha256: null }))
    expect(check).toEqual({ title: 'Check the file', commands: ['sha256sum b.sql'], note: 'No checksum was recorded for this backup.' })
  })
})

describe('the generated commands, run for real', () => {
  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
  const SQL = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('anchor'), ('it''s'), ('ünïcode');"
  const EXPECTED = "1|anchor\n2|it's\n3|ünïcode\n"

  it.skipIf(!hasTools('sqlite3', 'gzip', 'sha256sum'))('restore a plain SQLite dump compressed with gzip', async () => {
    const dir = tempDir()
    const fileName = 'backup_2026-01-02_03-04-05_0123abcd_my-label.sql.gz'
    await runInShell(dir, [`sqlite3 source.sqlite "${SQL}"`, `sqlite3 source.sqlite .dump | gzip > ${fileName}`])
    const groups = restoreCommands({ engine: 'sqlite', format: 'plain', compression: 'gzip', encryption: null, fileName, sha256: sha256(join(dir, fileName)) })
    const out = await runInShell(dir, groups.flatMap((g) => g.commands))
    expect(out).toBe(`${fileName}: OK\nok\n`)
    expect(await runInShell(dir, ["sqlite3 restored.sqlite 'SELECT id, name FROM t ORDER BY id'"])).toBe(EXPECTED)
  })

  it.skipIf(!hasTools('sqlite3', 'zstd', 'age', 'age-keygen', 'sha256sum'))('restore a SQLite file compressed with zstd and encrypted to an age recipient', async () => {
    const dir = tempDir()
    const fileName = 'backup_2026-01-02_03-04-05_0123abcd.sqlite.zst.age'
    await runInShell(dir, [
      `sqlite3 source.sqlite "${SQL}"`,
      'age-keygen -o key.txt 2>/dev/null',
      `zstd -q -c source.sqlite | age -r "$(age-keygen -y key.txt)" > ${fileName}`,
    ])
    const groups = restoreCommands({ engine: 'sqlite', format: 'sqlite', compression: 'zstd', encryption: 'recipient', fileName, sha256: sha256(join(dir, fileName)) })
    expect(groups[1]?.commands).toEqual([`age -d -i key.txt ${fileName} | zstd -d -o restored.sqlite`])
    const out = await runInShell(dir, groups.flatMap((g) => g.commands))
    expect(out).toBe(`${fileName}: OK\nok\n`)
    expect(await runInShell(dir, ["sqlite3 restored.sqlite 'SELECT id, name FROM t ORDER BY id'"])).toBe(EXPECTED)
  })
})
