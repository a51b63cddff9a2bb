import type { Backup } from './backup-model'

/**
 * The stock, copy-pasteable commands that restore one backup file by hand — no Lifeboat needed
 * (DESIGN.md §6). Pure: the UI shows them, tests run them.
 */

/** Where to restore. Anything not given stays a placeholder such as <host> for the DBA to fill in. */
export interface RestoreTarget {
  host?: string
  port?: number
  user?: string
  database?: string
  /** SQLite: the database file to create (default restored.sqlite). */
  file?: string
}

export interface CommandGroup {
  title: string
  commands: string[]
  /** One line of context: what the commands expect or print. */
  note?: string
}

export type RestoreSource = Pick<Backup, 'engine' | 'format' | 'compression' | 'encryption' | 'fileName' | 'sha256'>

/** POSIX shell quoting: bare when only safe characters, else single quotes ('' → '\''). */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(s)) return s
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Placeholders are shown bare (<host>) so they stand out; real values are quoted. */
const value = (v: string | number | undefined, placeholder: string) => (v === undefined ? placeholder : shellQuote(String(v)))

/** The decrypt/decompress front of the pipe, or null when the tool can read the file itself. */
function reader(b: RestoreSource, file: string): string | null {
  const decrypt = b.encryption === 'recipient' ? `age -d -i key.txt ${file}` : b.encryption === 'passphrase' ? `age -d ${file}` : null
  const decompress = { zstd: 'zstd -dc', gzip: 'gunzip -c', none: null }[b.compression]
  if (decrypt) return decompress ? `${decrypt} | ${decompress}` : decrypt
  return decompress ? `${decompress} ${file}` : null
}

function encryptionNote(b: RestoreSource): string | undefined {
  if (b.encryption === 'recipient') return 'key.txt is the age identity file (AGE-SECRET-KEY-1…) matching the recipient the backup was encrypted to.'
  if (b.encryption === 'passphrase') return 'age asks for the passphrase on the terminal; Lifeboat never stored it.'
  return undefined
}

function checksum(b: RestoreSource, file: string): CommandGroup {
  if (!b.sha256) return { title: 'Check the file', commands: [`sha256sum ${file}`], note: 'No checksum was recorded for this backup.' }
  return {
    title: 'Check the file',
    // Two spaces between hash and name: the sha256sum check-file format.
    commands: [`echo ${shellQuote(`${b.sha256}  ${b.fileName}`)} | sha256sum -c -`],
    note: `Prints "${b.fileName}: OK" when the file matches. On macOS: shasum -a 256 -c -.`,
  }
}

function postgres(b: RestoreSource, file: string, t: RestoreTarget): CommandGroup[] {
  const conn = `-h ${value(t.host, '<host>')} -p ${value(t.port, '<port>')} -U ${value(t.user, '<user>')}`
  const db = value(t.database, '<target_db>')
  const create: CommandGroup = {
    title: 'Create the target database (if it does not exist)',
    commands: [`createdb ${conn} ${db}`],
    note: 'The tools ask for the password, or read PGPASSWORD / ~/.pgpass.',
  }
  const src = reader(b, file)
  if (b.format === 'plain') {
    const psql = `psql -X -v ON_ERROR_STOP=1 --single-transaction ${conn} -d ${db}`
    return [create, { title: 'Restore', commands: [src ? `${src} | ${psql}` : `${psql} -f ${file}`], note: encryptionNote(b) }]
  }
  const pgRestore = `pg_restore --no-owner --no-privileges --clean --if-exists --exit-on-error ${conn} -d ${db}`
  if (!src) return [create, { title: 'Restore', commands: [`${pgRestore} -j 4 ${file}`], note: '-j 4 restores with 4 parallel jobs.' }]
  return [
    create,
    // pg_restore reads a custom-format archive from stdin sequentially: no temporary copy needed.
    { title: 'Restore (streaming, no temporary file)', commands: [`${src} | ${pgRestore}`], note: encryptionNote(b) },
    {
      title: 'Or: unpack first, then restore with parallel jobs',
      commands: [`${src} > restore.dump`, `${pgRestore} -j 4 restore.dump`, 'rm restore.dump'],
      note: 'Faster on big databases; needs disk space for the uncompressed archive.',
    },
  ]
}

function mysql(b: RestoreSource, file: string, t: RestoreTarget): CommandGroup[] {
  const conn = `-h ${value(t.host, '<host>')} -P ${value(t.port, '<port>')} -u ${value(t.user, '<user>')} -p`
  const db = value(t.database, '<target_db>')
  const createSql = `CREATE DATABASE IF NOT EXISTS \`${(t.database ?? '<target_db>').replace(/`/g, '``')}\` CHARACTER SET utf8mb4`
  const client = `mariadb --default-character-set=utf8mb4 ${conn}`
  const src = reader(b, file)
  const notes = ['With an Oracle MySQL client, run mysql instead of mariadb with the same options.', encryptionNote(b)]
  return [
    {
      title: 'Create the target database (if it does not exist)',
      commands: [`${client} -e ${shellQuote(createSql)}`],
      note: '-p asks for the password.',
    },
    { title: 'Restore', commands: [src ? `${src} | ${client} ${db}` : `${client} ${db} < ${file}`], note: notes.filter(Boolean).join(' ') },
  ]
}

function sqlite(b: RestoreSource, file: string, t: RestoreTarget): CommandGroup[] {
  const out = value(t.file, 'restored.sqlite')
  const check: CommandGroup = { title: 'Check the restored database', commands: [`sqlite3 ${out} 'PRAGMA integrity_check'`], note: 'Prints "ok".' }
  const fresh = `${out} must not exist yet.`
  if (b.format === 'plain') {
    const src = reader(b, file)
    const restore = src ? `${src} | sqlite3 ${out}` : `sqlite3 ${out} < ${file}`
    return [{ title: 'Restore', commands: [restore], note: [fresh, encryptionNote(b)].filter(Boolean).join(' ') }, check]
  }
  // A .sqlite backup is the database file itself: unpacking it is the whole restore.
  const decrypt = b.encryption === 'recipient' ? `age -d -i key.txt` : b.encryption === 'passphrase' ? `age -d` : null
  let restore: string
  if (decrypt) {
    restore = { zstd: `${decrypt} ${file} | zstd -d -o ${out}`, gzip: `${decrypt} ${file} | gunzip -c > ${out}`, none: `${decrypt} -o ${out} ${file}` }[b.compression]
  } else {
    restore = { zstd: `zstd -d ${file} -o ${out}`, gzip: `gunzip -c ${file} > ${out}`, none: `cp ${file} ${out}` }[b.compression]
  }
  return [{ title: 'Restore', commands: [restore], note: encryptionNote(b) ?? 'The result is an ordinary SQLite database file.' }, check]
}

/** The steps to check and restore `backup` with stock tools, in order. */
export function restoreCommands(backup: RestoreSource, target: RestoreTarget = {}): CommandGroup[] {
  const file = shellQuote(backup.fileName)
  const steps = backup.engine === 'postgres' ? postgres(backup, file, target) : backup.engine === 'mysql' ? mysql(backup, file, target) : sqlite(backup, file, target)
  return [checksum(backup, file), ...steps].map((g) => (g.note === undefined || g.note === '' ? { title: g.title, commands: g.commands } : g))
}
