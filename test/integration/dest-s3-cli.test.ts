import { rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli } from '../support/cli-in-process'
import { startS3Server, type S3Server } from '../support/s3-server'
import { tempDir } from '../support/temp-home'

/** A backup to S3 + local restores from S3 alone once the local copy is gone; a fresh data dir finds it by scanning. */
describe('lifeboat with an S3 destination (in-process CLI, s3rver)', () => {
  let s3: S3Server
  beforeAll(async () => {
    s3 = await startS3Server()
  })
  afterAll(() => s3.stop())

  it('backup to local + S3; the local file deleted; verify reports it, restore reads S3; a fresh data dir scans the bucket', async () => {
    const bucket = await s3.createBucket()
    const home = tempDir()
    const work = tempDir()
    const dbFile = join(work, 'shop.sqlite')
    const db = new Database(dbFile)
    db.exec("CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders (note) VALUES ('a'), ('b'), ('c')")
    db.close()
    const env = { AK: s3.accessKeyId, SK: s3.secretAccessKey, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
    const run = (args: string[], h = home) => cli(args, { home: h, cwd: work, env })
    expect((await run(['profile', 'add', 'shop', '--engine', 'sqlite', '--file', dbFile])).code).toBe(0)
    const addS3 = ['dest', 'add', 'cloud', '--type', 's3', '--bucket', bucket, '--prefix', 'prod', '--endpoint', s3.endpoint, '--force-path-style', '--access-key-env', 'AK', '--secret-key-env', 'SK', '--json']
    const added = await run(addS3)
    expect(added.code, added.stderr).toBe(0)
    expect(JSON.parse(added.stdout)).toMatchObject({ location: `s3://${bucket}/prod (${s3.endpoint})`, secrets: ['accessKeyId', 'secretAccessKey'] })
    expect(added.stdout).not.toContain(s3.secretAccessKey)

    const backup = await run(['backup', 'shop', '--dest', 'local', '--dest', 'cloud', '--json'])
    expect(backup.code, backup.stderr).toBe(0)
    const b = JSON.parse(backup.stdout)
    expect(b.destinations).toEqual([
      { name: 'cloud', status: 'success', location: `s3://${bucket}/prod/${b.fileName}` },
      { name: 'local', status: 'success', location: join(home, 'backups', b.fileName) },
    ])
    expect((await s3.allKeys(bucket)).sort()).toEqual([`prod/${b.fileName}`, `prod/${b.fileName}.manifest.json`])

    rmSync(join(home, 'backups', b.fileName))
    const target = join(work, 'restored.sqlite')
    const restore = await run(['restore', b.id, '--to', 'shop', '--database', target, '--confirm', target, '--no-safety-backup', '--json'])
    expect(restore.code, restore.stderr).toBe(0)
    const restored = new Database(target, { readonly: true })
    expect(restored.prepare('SELECT group_concat(note) AS notes FROM orders').get()).toEqual({ notes: 'a,b,c' })
    restored.close()

    const fresh = tempDir()
    expect((await run(addS3, fresh)).code).toBe(0)
    const scan = JSON.parse((await run(['dest', 'scan', 'cloud', '--json'], fresh)).stdout)
    expect(scan).toMatchObject({ manifests: 1, added: [b.fileName], skipped: [] })
    expect(JSON.parse((await run(['verify', b.id, '--json'], fresh)).stdout)).toMatchObject({ ok: true, destination: 'cloud' })
    expect((await run(['delete', b.id, '--confirm', b.id], fresh)).code).toBe(0)
    expect(await s3.allKeys(bucket)).toEqual([])
  })
})
