// `npm run bench` (issue 9): side-by-side wall times of Lifeboat against the stock tools, in one run.
//   node bench/run.mjs [--size-mb 1024] [--mysql-size-mb N] [--runs 3] [--skip-mysql] [--skip-s3] [--no-doc]
// Starts its own PostgreSQL, MariaDB and s3rver on free 127.0.0.1 ports in temp directories, runs the
// built CLI (bin/lifeboat.cjs, `npm run build` first) as a child process with LIFEBOAT_HOME in a temp
// dir, writes bench/results/latest.json and regenerates docs/BENCHMARKS.md.

import { existsSync, rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateMariadb, generatePostgres } from './lib/generate.mjs'
import { findBinary, run, sh, timedShell, timedSpawn } from './lib/proc.mjs'
import { consoleTable, markdown, summary } from './lib/report.mjs'
import { startMariadb, startPostgres, startS3 } from './lib/servers.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const REPO = join(HERE, '..')
const CLI = join(REPO, 'bin', 'lifeboat.cjs')
const RSS_HOOK = join(HERE, 'rss-hook.cjs')

const { values: argv } = parseArgs({
  options: {
    'size-mb': { type: 'string', default: '1024' },
    'mysql-size-mb': { type: 'string' },
    runs: { type: 'string', default: '3' },
    'skip-mysql': { type: 'boolean', default: false },
    'skip-s3': { type: 'boolean', default: false },
    'no-doc': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
})
const SIZE_MB = Number(argv['size-mb'])
const MYSQL_SIZE_MB = Number(argv['mysql-size-mb'] ?? Math.max(25, Math.round(SIZE_MB / 4)))
const RUNS = Number(argv.runs)
if (!(SIZE_MB > 0) || !(MYSQL_SIZE_MB > 0) || !(RUNS >= 1)) {
  console.error('usage: node bench/run.mjs [--size-mb N] [--mysql-size-mb N] [--runs N] [--skip-mysql] [--skip-s3] [--no-doc]')
  process.exit(2)
}
if (!existsSync(join(REPO, 'out', 'main', 'cli.js'))) {
  console.error('out/main/cli.js is missing: run `npm run build` first')
  process.exit(2)
}

// ---- cleanup: servers and the work dir go away on normal exit, errors and Ctrl-C --------------------
/** @type {{kill: () => void, stop: () => Promise<void>}[]} */
const servers = []
/** @type {string[]} */
const dirs = []
const killAll = () => {
  for (const s of servers.splice(0)) s.kill()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}
process.on('exit', killAll)
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping the benchmark servers`)
    killAll()
    process.exit(130)
  })
}

const log = (/** @type {string} */ s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`)

const PG_PASSWORD = 'bench:pg\\pw #1'
const MY_PASSWORD = 'bench;my"pw #2'

/**
 * @typedef {object} Measurement
 * @property {string} label
 * @property {string} group
 * @property {string} command
 * @property {number[]} runsMs
 * @property {number} [minMs]
 * @property {number} [medianMs]
 * @property {number | null} [outputBytes]
 * @property {number[]} [peakRssBytes]
 * @property {number[]} [nodeCpuMs] user+system CPU of the lifeboat (node) process itself, children excluded
 */
/** @type {Record<string, Measurement>} */
const measurements = {}
/** @param {string} id @param {string} label @param {string} group @param {string} command */
const measurement = (id, label, group, command) => (measurements[id] ??= { label, group, command, runsMs: [] })

async function main() {
  const startedAt = new Date().toISOString()
  const loadAvgStart = loadavg()
  const work = await mkdtemp(join(tmpdir(), 'lifeboat-bench-'))
  dirs.push(work)
  const home = join(work, 'home')
  const files = join(work, 'files')
  await mkdir(home)
  await mkdir(files)
  const zstd = await findBinary('zstd')
  const gzip = await findBinary('gzip')
  if (!zstd || !gzip) throw new Error('zstd and gzip are needed on PATH')
  /** @type {string[]} */
  const skipped = []

  log('starting PostgreSQL')
  const pg = await startPostgres({ password: PG_PASSWORD })
  servers.push(pg)
  /** @type {Awaited<ReturnType<typeof startMariadb>> | null} */
  let my = null
  if (!argv['skip-mysql']) {
    log('starting MariaDB')
    my = await startMariadb({ password: MY_PASSWORD })
    servers.push(my)
  } else skipped.push('MariaDB (--skip-mysql)')
  /** @type {Awaited<ReturnType<typeof startS3>> | null} */
  let s3 = null
  if (!argv['skip-s3']) {
    s3 = await startS3()
    servers.push(s3)
  } else skipped.push('S3 upload (--skip-s3)')

  // ---- credentials for the stock tools: a pgpass file and a MariaDB option file, never argv ----------
  const pgpass = join(work, 'pgpass')
  const esc = (/** @type {string} */ s) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:')
  await writeFile(pgpass, `127.0.0.1:${pg.port}:*:${esc(pg.user)}:${esc(PG_PASSWORD)}\n`, { mode: 0o600 })
  await chmod(pgpass, 0o600)
  const mycnf = join(work, 'my.cnf')
  if (my) {
    const q = (/** @type {string} */ s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
    await writeFile(mycnf, `[client]\nuser=${q(my.user)}\npassword=${q(MY_PASSWORD)}\nhost=127.0.0.1\nport=${my.port}\nprotocol=TCP\n`, { mode: 0o600 })
  }
  const stockEnv = { ...process.env, PGPASSFILE: pgpass, PGCONNECT_TIMEOUT: '10' }
  const bin = (/** @type {string} */ t) => join(pg.binDir, t)
  const pgConn = `-w -h 127.0.0.1 -p ${pg.port} -U ${pg.user}`

  // ---- data --------------------------------------------------------------------------------------
  /** @type {Record<string, any>} */
  const data = {}
  log(`generating the PostgreSQL database (${SIZE_MB} MB)`)
  let t0 = performance.now()
  const pgData = await generatePostgres(pg, SIZE_MB)
  data.postgres = { requestedMb: SIZE_MB, ...pgData, generateMs: performance.now() - t0 }
  if (my) {
    log(`generating the MariaDB database (${MYSQL_SIZE_MB} MB)`)
    t0 = performance.now()
    const myData = await generateMariadb(my, MYSQL_SIZE_MB)
    data.mariadb = { requestedMb: MYSQL_SIZE_MB, ...myData, generateMs: performance.now() - t0 }
  }

  // ---- lifeboat setup, as a user would -------------------------------------------------------------
  const rssFile = join(work, 'maxrss.json')
  const lbEnv = {
    ...process.env,
    LIFEBOAT_HOME: home,
    BENCH_PG_PW: PG_PASSWORD,
    BENCH_MY_PW: MY_PASSWORD,
    AK: 'S3RVER',
    SK: 'S3RVER',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }
  /** @param {string[]} args */
  const lifeboat = async (args) => {
    const r = await timedSpawn(process.execPath, [CLI, ...args], { env: lbEnv, cwd: work })
    return r.stdout
  }
  /** A timed lifeboat run with its peak RSS (getrusage of the CLI process, via the --require hook). @param {string[]} args */
  const timedLifeboat = async (args) => {
    await rm(rssFile, { force: true })
    const env = { ...lbEnv, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${RSS_HOOK}`.trim(), LIFEBOAT_BENCH_USAGE_FILE: rssFile }
    const r = await timedSpawn(process.execPath, [CLI, ...args], { env, cwd: work })
    const usage = JSON.parse(await readFile(rssFile, 'utf8'))
    return { ...r, rss: /** @type {number} */ (usage.maxRssBytes), cpuMs: /** @type {number} */ (usage.userCpuMs + usage.systemCpuMs) }
  }
  await lifeboat(['profile', 'add', 'pg', '--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', pg.database, '--password-env', 'BENCH_PG_PW', '--client-bin-dir', pg.binDir])
  if (my) await lifeboat(['profile', 'add', 'my', '--engine', 'mysql', '--host', '127.0.0.1', '--port', String(my.port), '--user', my.user, '--database', my.database, '--password-env', 'BENCH_MY_PW'])
  if (s3) {
    await lifeboat(['dest', 'add', 's3', '--type', 's3', '--bucket', 'bench', '--endpoint', s3.endpoint, '--force-path-style', '--region', 'us-east-1', '--access-key-env', 'AK', '--secret-key-env', 'SK'])
  }

  // ---- raw dump sizes (untimed; also warms the caches) ---------------------------------------------
  log('warm-up dumps')
  data.postgres.rawDumpBytes = Number((await timedShell(`${bin('pg_dump')} ${pgConn} -d ${pg.database} -Fc -Z0 | wc -c`, stockEnv)).stdout.trim())
  const myDumpArgs = `--defaults-extra-file=${sh(mycnf)} --single-transaction --quick --routines --events --triggers --hex-blob --default-character-set=utf8mb4 --no-tablespaces --max-allowed-packet=1073741824 -- benchdb`
  const myDump = my ? `${sh(my.bins['mariadb-dump'] ?? '')} ${myDumpArgs}` : ''
  if (my) data.mariadb.rawDumpBytes = Number((await timedShell(`${myDump} | wc -c`, stockEnv)).stdout.trim())

  /** @param {string} file */
  const size = async (file) => (await stat(file)).size
  /** @param {string} id @param {number} ms @param {number | null} bytes @param {number} [rss] @param {number} [cpuMs] */
  const record = (id, ms, bytes, rss, cpuMs) => {
    const m = /** @type {Measurement} */ (measurements[id])
    m.runsMs.push(ms)
    if (bytes !== null) m.outputBytes = bytes
    if (rss !== undefined) (m.peakRssBytes ??= []).push(rss)
    if (cpuMs !== undefined) (m.nodeCpuMs ??= []).push(Math.round(cpuMs))
    log(`  ${m.label}: ${(ms / 1000).toFixed(2)} s${rss ? `, peak RSS ${(rss / 1048576).toFixed(0)} MB` : ''}${cpuMs ? `, node CPU ${(cpuMs / 1000).toFixed(2)} s` : ''}`)
  }
  /** Lifeboat backup; returns its id and stored file. @param {string} id @param {string[]} args */
  const lbBackup = async (id, args) => {
    const r = await timedLifeboat(['backup', ...args, '--json'])
    const doc = JSON.parse(r.stdout)
    if (doc.status !== 'success') throw new Error(`lifeboat backup ${args.join(' ')}: ${r.stdout}`)
    record(id, r.ms, doc.sizeBytes, r.rss, r.cpuMs)
    return { id: /** @type {string} */ (doc.id), location: /** @type {string} */ (doc.destinations[0]?.location ?? '') }
  }
  const lbDelete = (/** @type {string} */ id) => lifeboat(['delete', id, '--confirm', id])

  // ---- the measurements -------------------------------------------------------------------------
  const pgDump = `${bin('pg_dump')} ${pgConn} -d ${pg.database}`
  measurement('pg.floor', 'PG: pg_dump -Fc -Z0 > /dev/null (floor)', 'postgres', 'pg_dump -Fc -Z0 > /dev/null')
  measurement('pg.zstd', 'PG: pg_dump -Fc -Z0 | zstd -3 -T2 > file', 'postgres', 'pg_dump -Fc -Z0 | zstd -q -3 -T2 > file')
  measurement('pg.gzip', 'PG: pg_dump | gzip -6 > file', 'postgres', 'pg_dump | gzip -6 > file')
  measurement('pg.lb', 'PG: lifeboat backup (default: zstd)', 'postgres', 'lifeboat backup pg')
  measurement('pg.lbGzip', 'PG: lifeboat backup --compress gzip', 'postgres', 'lifeboat backup pg --compress gzip')
  measurement('pg.restoreStock', 'PG: zstd -dc | pg_restore (stock)', 'postgres', 'zstd -dc F.dump.zst | pg_restore --no-owner --no-privileges --exit-on-error --single-transaction -d fresh')
  measurement('pg.restoreLb', 'PG: lifeboat restore', 'postgres', 'lifeboat restore ID --to pg --database fresh --no-safety-backup --confirm fresh')
  if (my) {
    measurement('my.floor', 'MariaDB: mariadb-dump > /dev/null (floor)', 'mariadb', 'mariadb-dump [Lifeboat\'s flags] > /dev/null')
    measurement('my.zstd', 'MariaDB: mariadb-dump | zstd -3 -T2 > file', 'mariadb', 'mariadb-dump | zstd -q -3 -T2 > file')
    measurement('my.gzip', 'MariaDB: mariadb-dump | gzip -6 > file', 'mariadb', 'mariadb-dump | gzip -6 > file')
    measurement('my.lb', 'MariaDB: lifeboat backup (default: zstd)', 'mariadb', 'lifeboat backup my')
    measurement('my.lbGzip', 'MariaDB: lifeboat backup --compress gzip', 'mariadb', 'lifeboat backup my --compress gzip')
    measurement('my.restoreStock', 'MariaDB: zstd -dc | mariadb (stock)', 'mariadb', 'zstd -dc F.sql.zst | mariadb --default-character-set=utf8mb4 --binary-mode fresh')
    measurement('my.restoreLb', 'MariaDB: lifeboat restore', 'mariadb', 'lifeboat restore ID --to my --database fresh --no-safety-backup --confirm fresh')
  }
  if (s3) {
    measurement('s3.rawFile', 'S3: raw SDK multipart upload of the .dump.zst file', 's3', 'node bench/s3-raw-upload.mjs (lib-storage Upload, defaults: 5 MiB parts, queue 4) < file')
    measurement('s3.rawPipe', 'S3: pg_dump -Fc -Z0 | zstd -3 -T2 | raw SDK upload', 's3', 'pg_dump -Fc -Z0 | zstd -q -3 -T2 | node bench/s3-raw-upload.mjs (stdin)')
    measurement('s3.lb', 'S3: lifeboat backup --dest s3', 's3', 'lifeboat backup pg --dest s3')
  }

  /**
   * One engine's round: the three stock backups, Lifeboat's two, then stock vs Lifeboat restore of
   * the same kept file into fresh databases.
   * @typedef {{id: string, location: string}} Kept
   * @param {{ key: 'pg' | 'my', label: string, profile: string, dump: string, plainDump: string, ext: string, rawBytes: number,
   *   createDb: (db: string) => Promise<unknown>, dropDb: (db: string) => Promise<unknown>, stockRestore: (file: string, db: string) => string }} e
   * @param {number} round
   * @param {Kept | null} kept the backup restored each round (the first one), null in round 1
   * @returns {Promise<Kept>}
   */
  async function engineRound(e, round, kept) {
    log(`round ${round}/${RUNS}: ${e.label} backups`)
    record(`${e.key}.floor`, (await timedShell(`${e.dump} > /dev/null`, stockEnv)).ms, e.rawBytes)
    const zf = join(files, `${e.key}.${e.ext}.zst`)
    record(`${e.key}.zstd`, (await timedShell(`${e.dump} | ${zstd} -q -3 -T2 > ${sh(zf)}`, stockEnv)).ms, await size(zf))
    await rm(zf)
    const gf = join(files, `${e.key}.sql.gz`)
    record(`${e.key}.gzip`, (await timedShell(`${e.plainDump} | ${gzip} -6 > ${sh(gf)}`, stockEnv)).ms, await size(gf))
    await rm(gf)
    const b = await lbBackup(`${e.key}.lb`, [e.profile])
    if (kept) await lbDelete(b.id)
    const keep = kept ?? b
    await lbDelete((await lbBackup(`${e.key}.lbGzip`, [e.profile, '--compress', 'gzip'])).id)

    log(`round ${round}/${RUNS}: ${e.label} restores`)
    for (const which of ['stock', 'lb']) {
      const db = `restored_${which}_${round}`
      await e.createDb(db)
      if (which === 'stock') {
        record(`${e.key}.restoreStock`, (await timedShell(e.stockRestore(keep.location, db), stockEnv)).ms, null)
      } else {
        const r = await timedLifeboat(['restore', keep.id, '--to', e.profile, '--database', db, '--no-safety-backup', '--confirm', db])
        record(`${e.key}.restoreLb`, r.ms, null, r.rss, r.cpuMs)
      }
      await e.dropDb(db)
    }
    return keep
  }

  const pgEngine = {
    key: /** @type {const} */ ('pg'),
    label: 'PostgreSQL',
    profile: 'pg',
    dump: `${pgDump} -Fc -Z0`,
    plainDump: pgDump,
    ext: 'dump',
    rawBytes: data.postgres.rawDumpBytes,
    createDb: (/** @type {string} */ db) => pg.psql(`CREATE DATABASE ${db} OWNER bench`),
    dropDb: (/** @type {string} */ db) => pg.psql(`DROP DATABASE ${db}`),
    stockRestore: (/** @type {string} */ file, /** @type {string} */ db) =>
      `${zstd} -q -dc ${sh(file)} | ${bin('pg_restore')} ${pgConn} -d ${db} --no-owner --no-privileges --exit-on-error --single-transaction`,
  }
  const myEngine = my && {
    key: /** @type {const} */ ('my'),
    label: 'MariaDB',
    profile: 'my',
    dump: myDump,
    plainDump: myDump,
    ext: 'sql',
    rawBytes: data.mariadb.rawDumpBytes,
    createDb: (/** @type {string} */ db) => my.sql(`CREATE DATABASE ${db}`),
    dropDb: (/** @type {string} */ db) => my.sql(`DROP DATABASE ${db}`),
    stockRestore: (/** @type {string} */ file, /** @type {string} */ db) =>
      `${zstd} -q -dc ${sh(file)} | ${sh(my.bins.mariadb ?? '')} --defaults-extra-file=${sh(mycnf)} --default-character-set=utf8mb4 --binary-mode -- ${db}`,
  }

  /** @type {Kept | null} */
  let pgKeep = null
  /** @type {Kept | null} */
  let myKeep = null
  for (let round = 1; round <= RUNS; round++) {
    pgKeep = await engineRound(pgEngine, round, pgKeep)
    if (myEngine) myKeep = await engineRound(myEngine, round, myKeep)

    if (s3) {
      log(`round ${round}/${RUNS}: S3`)
      const keep = /** @type {{id: string, location: string}} */ (pgKeep)
      const upload = join(HERE, 's3-raw-upload.mjs')
      const rawEnv = { ...stockEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
      const f = await timedSpawn(process.execPath, [upload, s3.endpoint, 'bench', `raw/file-${round}.dump.zst`, keep.location], { env: rawEnv })
      record('s3.rawFile', f.ms, await size(keep.location))
      const p = await timedShell(`${pgDump} -Fc -Z0 | ${zstd} -q -3 -T2 | ${sh(process.execPath)} ${sh(upload)} ${s3.endpoint} bench raw/pipe-${round}.dump.zst`, rawEnv)
      record('s3.rawPipe', p.ms, null)
      const sb = await lbBackup('s3.lb', ['pg', '--dest', 's3'])
      await lbDelete(sb.id)
    }
  }

  // ---- summaries and targets ------------------------------------------------------------------------
  for (const m of Object.values(measurements)) {
    const { min, median } = summary(m.runsMs)
    Object.assign(m, { minMs: min, medianMs: median })
  }
  const med = (/** @type {string} */ id) => measurements[id]?.medianMs ?? NaN
  /** @type {any[]} */
  const targets = []
  /** @param {string} id @param {string} description @param {number} measured @param {'<=' | '>=' | '<'} op @param {number} limit @param {string} [unit] */
  const target = (id, description, measured, op, limit, unit = 'ratio') => {
    const ok = !Number.isFinite(measured) ? null : op === '<=' ? measured <= limit : op === '>=' ? measured >= limit : measured < limit
    targets.push({ id, description, measured: Number.isFinite(measured) ? measured : null, op, limit, unit, pass: ok })
  }
  for (const [e, name] of /** @type {const} */ ([['pg', 'PG'], ['my', 'MariaDB']])) {
    if (e === 'my' && !my) continue
    target(`${e}.backup.vsFloor`, `${name}: lifeboat backup (zstd) / raw dump`, med(`${e}.lb`) / med(`${e}.floor`), '<=', 1.25)
    target(`${e}.backup.vsZstd`, `${name}: lifeboat backup (zstd) / dump | zstd -3 -T2`, med(`${e}.lb`) / med(`${e}.zstd`), '<=', 1.0)
    target(`${e}.backup.vsGzip`, `${name}: lifeboat backup (zstd) / dump | gzip -6`, med(`${e}.lb`) / med(`${e}.gzip`), '<=', 0.35)
    target(`${e}.backupGzip.vsGzip`, `${name}: lifeboat backup --compress gzip / dump | gzip -6`, med(`${e}.lbGzip`) / med(`${e}.gzip`), '<=', 1.0)
    target(`${e}.restore`, `${name}: lifeboat restore / stock restore`, med(`${e}.restoreLb`) / med(`${e}.restoreStock`), '<=', 1.1)
  }
  const peak = Math.max(...Object.values(measurements).flatMap((m) => m.peakRssBytes ?? []))
  target('rss', 'peak RSS of any lifeboat run (CLI process)', peak, '<=', 150 * 1024 * 1024, 'bytes')
  if (s3) {
    const lbBytes = measurements['s3.lb']?.outputBytes ?? NaN
    const rawBytes = measurements['s3.rawFile']?.outputBytes ?? NaN
    // throughput ratio: (lifeboat bytes / lifeboat time) / (raw bytes / raw time), against the same streaming work
    target('s3.vsRawPipe', 'S3: lifeboat throughput / raw SDK throughput (both dump → zstd → multipart)', lbBytes / med('s3.lb') / (rawBytes / med('s3.rawPipe')), '>=', 0.9)
  }
  target('paint', 'history first paint, 10,000 rows (headless Chromium)', NaN, '<', 300, 'ms')
  skipped.push('history first paint with 10,000 rows: not implemented in this version of the harness')

  // ---- versions and machine -------------------------------------------------------------------------
  const first = async (/** @type {string} */ f, /** @type {string[]} */ a) => (await run(f, a).catch((e) => String(e.message))).split('\n')[0]?.trim() ?? ''
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'))
  const modVersion = async (/** @type {string} */ m) => JSON.parse(await readFile(join(REPO, 'node_modules', m, 'package.json'), 'utf8')).version
  const gitRev = await run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']).then((s) => s.trim(), () => 'unknown')
  const gitDirty = await run('git', ['-C', REPO, 'status', '--porcelain', '--', 'src']).then((s) => (s.trim() ? ' (src/ has uncommitted changes)' : ''), () => '')
  const versions = {
    lifeboat: `${pkg.version} @ ${gitRev}${gitDirty}`,
    node: process.version,
    'PostgreSQL server': pg.version,
    pg_dump: await first(bin('pg_dump'), ['--version']),
    ...(my ? { 'MariaDB server': my.version, 'mariadb-dump': await first(my.bins['mariadb-dump'] ?? '', ['--version']) } : {}),
    zstd: await first(zstd, ['--version']),
    gzip: await first(gzip, ['--version']),
    ...(s3 ? { s3rver: await modVersion('s3rver'), '@aws-sdk/lib-storage': await modVersion('@aws-sdk/lib-storage') } : {}),
  }
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '')
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemBytes: totalmem(),
    os: /PRETTY_NAME="([^"]+)"/.exec(osRelease)?.[1] ?? process.platform,
    kernel: release(),
    loadAvgStart,
    loadAvgEnd: loadavg(),
    sharedNote: 'The machine is shared with other work, so absolute times vary between runs; the ratios compare runs interleaved in the same minutes.',
  }
  const result = {
    startedAt,
    finishedAt: new Date().toISOString(),
    command: `npm run bench -- --size-mb ${SIZE_MB} --mysql-size-mb ${MYSQL_SIZE_MB} --runs ${RUNS}${argv['skip-mysql'] ? ' --skip-mysql' : ''}${argv['skip-s3'] ? ' --skip-s3' : ''}`,
    runs: RUNS,
    machine,
    versions,
    data,
    measurements,
    targets,
    skipped,
  }
  await mkdir(join(HERE, 'results'), { recursive: true })
  const outFile = argv.out ?? join(HERE, 'results', 'latest.json')
  await writeFile(outFile, JSON.stringify(result, null, 2) + '\n')
  console.log(consoleTable(result))
  if (!argv['no-doc']) {
    const findings = await readFile(join(HERE, 'FINDINGS.md'), 'utf8').catch(() => '')
    await writeFile(join(REPO, 'docs', 'BENCHMARKS.md'), markdown(result, findings))
    log(`wrote ${outFile} and docs/BENCHMARKS.md`)
  } else log(`wrote ${outFile}`)

  for (const s of servers.splice(0).reverse()) await s.stop()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e)
    process.exit(1)
  },
)



