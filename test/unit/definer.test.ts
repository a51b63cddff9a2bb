import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { DefinerRewrite, rewriteLine } from '../../src/main/core/engines/mysql/definer'

const rewrite = (line: string) => rewriteLine(line, 0).line

async function throughChunks(input: Buffer, chunks: Buffer[] = [input]): Promise<Buffer> {
  void input
  return buffer(Readable.from(chunks, { objectMode: false }).pipe(new DefinerRewrite()))
}

/** A dump fragment with every DEFINER form mysqldump / mariadb-dump write, and data that only looks like them. */
const DUMP = [
  '/*M!999999\\- enable the sandbox mode */ ',
  "INSERT INTO `t` VALUES (1,'CREATE DEFINER=`root`@`%` VIEW v','/*!50013 DEFINER=`a`@`b` */'),(2,'x\\'y\\n\\r\\0');",
  '/*!50001 CREATE ALGORITHM=UNDEFINED */',
  '/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */',
  '/*!50001 VIEW `v` AS select \'DEFINER=`x`@`y`\' AS `c` */;',
  'DELIMITER ;;',
  "CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN a text)",
  'BEGIN',
  "  SELECT 'multi-line string starts here",
  'CREATE DEFINER=`root`@`localhost` PROCEDURE inside_the_string()',
  "  and ends here';",
  '  /* a comment',
  '  CREATE DEFINER=`c`@`d` FUNCTION in_comment() */',
  'END ;;',
  "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.b = 'é€😀' */;;",
  '/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1 */ ;;',
  'DELIMITER ;',
  '',
].join('\n')

const EXPECTED = DUMP.replace('/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */', '/*!50013 SQL SECURITY DEFINER */')
  .replace('CREATE DEFINER=`root`@`localhost` PROCEDURE `p`(IN a text)', 'CREATE PROCEDURE `p`(IN a text)')
  .replace('/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER', '/*!50003 CREATE*/ /*!50003 TRIGGER')
  .replace('/*!50106 CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT', '/*!50106 CREATE*/ /*!50106 EVENT')

describe('DEFINER rewrite', () => {
  it('removes each form of DEFINER clause', () => {
    expect(rewrite('CREATE DEFINER=`root`@`localhost` PROCEDURE `p`()')).toBe('CREATE PROCEDURE `p`()')
    expect(rewrite('CREATE DEFINER=`o``b\'r`@`%` FUNCTION `f`() RETURNS int(11)')).toBe('CREATE FUNCTION `f`() RETURNS int(11)')
    expect(rewrite("CREATE DEFINER='root'@'10.0.0.%' TRIGGER t")).toBe('CREATE TRIGGER t')
    expect(rewrite('CREATE DEFINER=CURRENT_USER() EVENT e')).toBe('CREATE EVENT e')
    expect(rewrite('CREATE DEFINER=some_role VIEW v')).toBe('CREATE VIEW v')
    expect(rewrite('CREATE OR REPLACE ALGORITHM=UNDEFINED DEFINER=root@localhost SQL SECURITY INVOKER VIEW v AS SELECT 1')).toBe(
      'CREATE OR REPLACE ALGORITHM=UNDEFINED SQL SECURITY INVOKER VIEW v AS SELECT 1',
    )
    expect(rewrite('/*!50013 DEFINER=`root`@`%` SQL SECURITY INVOKER */')).toBe('/*!50013 SQL SECURITY INVOKER */')
    expect(rewrite('/*!50003 CREATE*/ /*!50020 DEFINER=`root`@`localhost`*/ /*!50003 PROCEDURE `p`()')).toBe('/*!50003 CREATE*/ /*!50003 PROCEDURE `p`()')
  })

  it('leaves string data, comments and other statements alone', () => {
    for (const line of [
      "SELECT 'CREATE DEFINER=`root`@`x` VIEW'",
      'SELECT "/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */"',
      '-- CREATE DEFINER=`root`@`x` VIEW v',
      '# CREATE DEFINER=`root`@`x` VIEW v',
      '/* CREATE DEFINER=`root`@`x` VIEW v */',
      'SELECT `CREATE DEFINER=x VIEW` FROM t',
      'CREATE TABLE `definer` (`DEFINER` int)',
    ]) {
      expect(rewrite(line)).toBe(line)
    }
  })

  it('rewrites a whole dump the same way whatever the chunk boundaries', async () => {
    const input = Buffer.from(DUMP, 'utf8')
    const expected = Buffer.from(EXPECTED, 'utf8')
    expect((await throughChunks(input)).toString('utf8')).toBe(EXPECTED)
    for (let i = 0; i <= input.length; i++) {
      const out = await throughChunks(input, [input.subarray(0, i), input.subarray(i)])
      if (!out.equals(expected)) expect.fail(`split at byte ${i}: ${out.toString('utf8')}`)
    }
    const bytewise = await throughChunks(input, [...input].map((b) => Buffer.from([b])))
    expect(bytewise.equals(expected)).toBe(true)
    // Three pieces at every pair of a coarse grid, for carries across more than one chunk.
    for (let i = 0; i <= input.length; i += 13) {
      for (let j = i; j <= input.length; j += 17) {
        const out = await throughChunks(input, [input.subarray(0, i), input.subarray(i, j), input.subarray(j)])
        if (!out.equals(expected)) expect.fail(`split at bytes ${i} and ${j}`)
      }
    }
  })

  it('passes every byte value and a missing final newline through unchanged', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const input = Buffer.concat([Buffer.from("INSERT INTO t VALUES ('"), bytes, Buffer.from("');\nSELECT '"), bytes.subarray(11), Buffer.from("'")])
    for (let i = 0; i <= input.length; i++) {
      const out = await throughChunks(input, [input.subarray(0, i), input.subarray(i)])
      if (!out.equals(input)) expect.fail(`split at byte ${i}`)
    }
  })

  it('streams a long INSERT line without holding it', async () => {
    const rewriter = new DefinerRewrite()
    const seen: Buffer[] = []
    rewriter.on('data', (b: Buffer) => seen.push(b))
    rewriter.write(Buffer.from('INSERT INTO `t` VALUES '))
    rewriter.write(Buffer.alloc(1024 * 1024, 0x61))
    await new Promise((r) => setImmediate(r))
    expect(Buffer.concat(seen).length).toBe(23 + 1024 * 1024)
    rewriter.end(Buffer.from(';\nCREATE DEFINER=`a`@`b` VIEW v AS SELECT 1;\n'))
    await new Promise((r) => rewriter.once('end', r))
    expect(Buffer.concat(seen).toString('latin1').endsWith(';\nCREATE VIEW v AS SELECT 1;\n')).toBe(true)
  })
})

describe("pg_dump plain filter (psql --single-transaction must not see pg_dump's own COMMIT)", () => {
  const PLAIN = [
    'SET client_encoding = \'UTF8\';',
    'COPY public.t (v) FROM stdin;',
    'COMMIT;',
    'BEGIN;',
    '\\.',
    '',
    '--',
    '-- Data for Name: BLOBS; Type: BLOBS; Schema: -; Owner: -',
    '--',
    '',
    'BEGIN;',
    '',
    "SELECT pg_catalog.lo_open('16619', 131072);",
    "SELECT pg_catalog.lowrite(0, '\\x00ff');",
    'SELECT pg_catalog.lo_close(0);',
    '',
    'COMMIT;',
    '',
    '--',
    '-- Name: p; Type: PROCEDURE; Schema: public; Owner: -',
    '--',
    '',
    'CREATE PROCEDURE public.p() LANGUAGE plpgsql AS $$',
    'BEGIN',
    'COMMIT;',
    'END $$;',
    '',
  ].join('\n')
  const EXPECTED = PLAIN.replace('\nBEGIN;\n\nSELECT pg_catalog.lo_open', '\n\nSELECT pg_catalog.lo_open').replace('lo_close(0);\n\nCOMMIT;\n', 'lo_close(0);\n\n')

  it('drops only the BEGIN/COMMIT around large objects, whatever the chunk boundaries', async () => {
    const { PgPlainFilter } = await import('../../src/main/core/engines/postgres/plain-filter')
    const input = Buffer.from(PLAIN)
    for (let i = 0; i <= input.length; i++) {
      const out = await buffer(Readable.from([input.subarray(0, i), input.subarray(i)], { objectMode: false }).pipe(new PgPlainFilter()))
      if (out.toString('latin1') !== EXPECTED) expect.fail(`split at byte ${i}: ${out.toString('latin1')}`)
    }
  })
})
