// Deterministic benchmark databases, generated server-side (generate_series / MariaDB's SEQUENCE
// engine, md5), so no random() and no client round trips: the same --size-mb gives the same rows.
//
// Three tables, by share of the raw data:
//   events (45%): bigint, timestamptz, smallint, int, numeric, boolean, text (~110 chars, half md5 hex)
//   blobs  (35%): bigint, text, bytea of 512 bytes: 256 md5-derived (incompressible) + 256 repetitive
//   docs   (20%): bigint, text of ~150 words drawn from a 20-word list, jsonb / JSON
// Row counts come from the estimated bytes per row; the real database and dump sizes are measured
// and reported, not assumed.

const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'backup', 'restore', 'table', 'index', 'vacuum', 'replica', 'shard', 'tuple', 'page', 'commit', 'rollback', 'schema', 'query', 'cursor', 'lock']

/** @param {number} sizeMb */
export function rowCounts(sizeMb) {
  const bytes = sizeMb * 1024 * 1024
  return {
    events: Math.max(1000, Math.round((bytes * 0.45) / 190)),
    blobs: Math.max(1000, Math.round((bytes * 0.35) / 590)),
    docs: Math.max(1000, Math.round((bytes * 0.2) / 1250)),
  }
}

const md5Pieces = (/** @type {(k: number) => string} */ piece, n = 16) => Array.from({ length: n }, (_, k) => piece(k)).join(' || ')

/**
 * Creates and fills the tables in benchdb (as `bench`, so it owns them). Two connections at once.
 * @param {{psql: (sql: string, db?: string) => Promise<string>}} pg
 * @param {number} sizeMb
 */
export async function generatePostgres(pg, sizeMb) {
  const n = rowCounts(sizeMb)
  const words = `ARRAY[${WORDS.map((w) => `'${w}'`).join(',')}]`
  const owner = 'SET ROLE bench; '
  await pg.psql(
    owner +
      `CREATE TABLE events (id bigint PRIMARY KEY, created_at timestamptz NOT NULL, kind smallint NOT NULL, user_id int NOT NULL, amount numeric(12,2), ok boolean, note text);
       CREATE TABLE blobs (id bigint PRIMARY KEY, name text NOT NULL, data bytea NOT NULL);
       CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, meta jsonb NOT NULL);`,
    'benchdb',
  )
  await Promise.all([
    pg.psql(
      owner +
        `INSERT INTO events SELECT i, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 second', (i % 7)::smallint, (i * 2654435761 % 100000)::int,
           ((i * 7919) % 1000000) / 100.0, i % 3 = 0, md5(i::text) || ' ' || repeat(chr(97 + (i % 26)::int), 40) || ' ' || md5((i * 7)::text)
         FROM generate_series(1::bigint, ${n.events}) i;
         INSERT INTO docs SELECT i, array_to_string(ARRAY(SELECT (${words})[1 + ((i * 31 + j * 7919) % 20)::int] FROM generate_series(1, 150) j), ' '),
           jsonb_build_object('id', i, 'kind', i % 7, 'tags', jsonb_build_array('t' || i % 13, 'u' || i % 17), 'title', md5(i::text))
         FROM generate_series(1::bigint, ${n.docs}) i;`,
      'benchdb',
    ),
    pg.psql(
      owner +
        `INSERT INTO blobs SELECT i, 'file-' || i || '.bin',
           decode(${md5Pieces((k) => `md5(i::text || '.${k}')`)}, 'hex') || decode(repeat(md5((i % 1000)::text), 16), 'hex')
         FROM generate_series(1::bigint, ${n.blobs}) i;`,
      'benchdb',
    ),
  ])
  await pg.psql('VACUUM ANALYZE', 'benchdb')
  return { rows: n, databaseBytes: Number(await pg.psql(`SELECT pg_database_size('benchdb')`)) }
}

/**
 * The same three tables in MariaDB (InnoDB), filled from seq_1_to_N in chunks of 100k rows.
 * @param {{sql: (sql: string, db?: string) => Promise<string>}} my
 * @param {number} sizeMb
 */
export async function generateMariadb(my, sizeMb) {
  const n = rowCounts(sizeMb)
  await my.sql(
    `CREATE TABLE events (id bigint PRIMARY KEY, created_at datetime NOT NULL, kind smallint NOT NULL, user_id int NOT NULL, amount decimal(12,2), ok boolean, note text) ENGINE=InnoDB;
     CREATE TABLE blobs (id bigint PRIMARY KEY, name varchar(64) NOT NULL, data blob NOT NULL) ENGINE=InnoDB;
     CREATE TABLE docs (id bigint PRIMARY KEY, body text NOT NULL, meta json NOT NULL) ENGINE=InnoDB;`,
    'benchdb',
  )
  const wordList = WORDS.map((w) => `'${w}'`).join(',')
  const body = Array.from({ length: 150 }, (_, j) => `ELT(1 + ((seq * 31 + ${j * 7919}) % 20), ${wordList})`).join(', ')
  const chunk = 100_000
  /** @param {string} table @param {number} total @param {string} select */
  const fill = async (table, total, select) => {
    for (let from = 1; from <= total; from += chunk) {
      const to = Math.min(total, from + chunk - 1)
      await my.sql(`INSERT INTO ${table} SELECT ${select} FROM seq_${from}_to_${to}`, 'benchdb')
    }
  }
  await Promise.all([
    (async () => {
      await fill('events', n.events, `seq, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND, seq % 7, seq * 2654435761 % 100000, ((seq * 7919) % 1000000) / 100.0, seq % 3 = 0, CONCAT(MD5(seq), ' ', REPEAT(CHAR(97 + seq % 26), 40), ' ', MD5(seq * 7))`)
      await fill('docs', n.docs, `seq, CONCAT_WS(' ', ${body}), JSON_OBJECT('id', seq, 'kind', seq % 7, 'tags', JSON_ARRAY(CONCAT('t', seq % 13), CONCAT('u', seq % 17)), 'title', MD5(seq))`)
    })(),
    fill('blobs', n.blobs, `seq, CONCAT('file-', seq, '.bin'), CONCAT(UNHEX(CONCAT(${Array.from({ length: 16 }, (_, k) => `MD5(CONCAT(seq, '.${k}'))`).join(', ')})), UNHEX(REPEAT(MD5(seq % 1000), 16)))`),
  ])
  await my.sql('ANALYZE TABLE events, blobs, docs', 'benchdb')
  const bytes = await my.sql(`SELECT SUM(data_length + index_length) FROM information_schema.tables WHERE table_schema = 'benchdb'`)
  return { rows: n, databaseBytes: Number(bytes) }
}
