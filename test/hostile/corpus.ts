/**
 * The hostile-input corpus: each case writes damaged, malicious or merely large evidence into a
 * fresh folder (`ev/` is the evidence, `out/` is where outputs may go) and says how howchain is run
 * on it and what it must do. test/hostile/hostile.test.ts runs every case; `node --import tsx
 * test/hostile/corpus.ts <folder>` writes them all for poking at by hand.
 *
 * bench/hostile.bench.ts runs the large ones at full size, for memory.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  linkSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  FIXTURES,
  LEASE_LINE,
  fsmPayload,
  kineDatabase,
  renameMember,
  tarball,
  writeLines,
  writeSnapshot,
  type HostileCase,
  type HostileRun,
  type TarEntry,
} from './_make.js';

/**
 * The CLI runs with a sixth of Node's default stack (`--stack-size`), so that `push(...items)` or
 * `Math.max(...items)` overflows at ~20,000 items instead of ~120,000: the same failures as the
 * report's 125,000-event log, on inputs small enough for a shared test machine.
 */
export const STACK_KB = 150;
const MANY = 25_000;

const YEARLESS_LINE = (i: number) =>
  `I0331 22:04:${String(10 + (i % 40)).padStart(2, '0')}.996761       1 leaderelection.go:297] failed to renew lease kube-system/m${i}: context deadline exceeded\n`;

function* manyMembers(count: number): Generator<TarEntry> {
  for (let i = 0; i < count; i++)
    yield {
      header: { name: `node/logs/m${i}.log`, mtime: new Date('2026-04-01T00:00:00Z') },
      body: YEARLESS_LINE(i),
    };
}

function podList(count: number): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++)
    items.push(
      `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p${i}","namespace":"ns${i % 20}","uid":"u${i}"},"status":{"phase":"Running","containerStatuses":[{"name":"c","restartCount":${i % 7},"ready":true}]}}`,
    );
  return `{"apiVersion":"v1","kind":"List","items":[\n${items.join(',\n')}\n]}\n`;
}

const OUT_OPTIONS = ['-o', '--case', '--charts'] as const;

export const hostileCases: HostileCase[] = [
  {
    name: 'many-events-one-log',
    found: 'one log with 125,000+ events: internal error (push(...events))',
    build(dir) {
      writeLines(join(dir, 'ev/big.log'), MANY, LEASE_LINE);
      return [
        { args: ['events', 'ev/big.log', '--json'], code: 0, stderr: null },
        { args: ['ingest', 'ev/big.log', '--case', 'out/case.db', '--json'], code: 0, stderr: null },
        { args: ['analyze', 'ev', '-o', 'out/pir.md'], code: 0, stderr: /^wrote out\/pir\.md: / },
      ];
    },
  },
  {
    name: 'many-members-yearless',
    found: 'a tar.gz with very many members, none with a year: stack overflow, Math.max(...mtimes)',
    async build(dir) {
      writeFileSync(join(dir, 'ev/many.tar.gz'), await tarball(manyMembers(MANY)));
      return [{ args: ['ingest', 'ev/many.tar.gz', '--json'], code: 0, stderr: null }];
    },
  },
  {
    name: 'very-long-line',
    found: 'a very long line: Maximum call stack size exceeded',
    build(dir) {
      writeLines(join(dir, 'ev/long.log'), 1, () => `${LEASE_LINE(0).trimEnd()} ${'x'.repeat(4 << 20)}\n`);
      return [
        {
          args: ['events', 'ev/long.log', '--json'],
          code: 2,
          stderr: /^warning: ev\/long\.log: line 1 is longer than \d+ bytes/,
        },
      ];
    },
  },
  {
    name: 'pod-dump',
    found: 'a pod dump with 263k pods: internal error',
    build(dir) {
      writeFileSync(join(dir, 'ev/pods.json'), podList(MANY));
      return [{ args: ['ingest', 'ev/pods.json', '--json'], code: 0, stderr: null }];
    },
  },
  {
    name: 'kine-many-prefixes',
    found: '`snapshot inspect` of a kine table with 1M distinct prefixes: internal error',
    build(dir) {
      const names = (function* () {
        for (let i = 0; i < MANY; i++) yield `/registry/r${i}/ns/obj`;
      })();
      const main = kineDatabase(join(dir, 'kine.sqlite'), names);
      writeSnapshot(join(dir, 'ev'), fsmPayload([{ name: 'db', main }]));
      // Folding, not refusing: the prefixes past --max-kine-prefixes are summed into one line.
      return [
        { args: ['snapshot', 'inspect', 'ev/snapshot-1-32-1263800', '--json'], code: 0, stderr: null },
        {
          args: ['snapshot', 'inspect', 'ev/snapshot-1-32-1263800'],
          code: 0,
          stderr: null,
          stdoutHas: [
            `1,000 of ${MANY.toLocaleString('en-US')} prefixes listed (most rows first); ${(MANY - 1000).toLocaleString('en-US')} more prefixes hold ${(MANY - 1000).toLocaleString('en-US')} rows (raise it with --max-kine-prefixes)`,
          ],
        },
      ];
    },
  },
  {
    name: 'pax-path-bomb',
    found: 'a 4 KB tar.gz with a 2 MB PAX path: 1.2 GB case, analyze dies, serve returns 500 forever',
    async build(dir) {
      // One long segment: tar-stream's ustar split is quadratic in the number of slashes.
      const long = `x/${'d'.repeat(2 << 20)}.log`;
      const body = Array.from({ length: 300 }, (_, i) => LEASE_LINE(i)).join('');
      writeFileSync(
        join(dir, 'ev/pax.tar.gz'),
        await tarball([
          { header: { name: long, mtime: new Date('2026-04-01T00:00:00Z') }, body },
          { header: { name: 'ok.log', mtime: new Date('2026-04-01T00:00:00Z') }, body: LEASE_LINE(1) },
        ]),
      );
      return [
        {
          args: ['ingest', 'ev/pax.tar.gz', '--case', 'out/case.db', '--json'],
          code: 2,
          stderr:
            /^warning: ev\/pax\.tar\.gz\/x\/d{100,200}…: member name is \d+ bytes long, over the 4096-byte limit; not read \(raise it with --max-path\)$/,
        },
        {
          args: ['analyze', 'ev/pax.tar.gz', '-o', 'out/pir.md'],
          code: 2,
          stderr: /^(?:warning: .*member name is \d+ bytes long|wrote out\/pir\.md)/,
          maxStderrLines: 2,
          present: ['out/pir.md'],
        },
      ];
    },
  },
  {
    name: 'many-databases',
    found: 'a 36 KB snapshot declaring 1,500 databases: EMFILE',
    build(dir) {
      const databases = Array.from({ length: 1500 }, (_, i) => ({ name: `db${i}`, main: Buffer.alloc(0) }));
      writeSnapshot(join(dir, 'ev'), fsmPayload(databases));
      return [
        {
          args: ['snapshot', 'inspect', 'ev/snapshot-1-32-1263800'],
          code: 2,
          stderr:
            /^howchain: ev\/snapshot-1-32-1263800: snapshot holds more than 64 databases; dqlite writes one or a few \(raise it with --max-databases\)$/,
        },
      ];
    },
  },
  {
    name: 'outputs-through-links',
    found: 'evidence written through a symlinked output path',
    build(dir) {
      writeLines(join(dir, 'ev/app.log'), 5, LEASE_LINE);
      mkdirSync(join(dir, 'ev/x'));
      symlinkSync('ev', join(dir, 'evlink'));
      const refused = /^howchain: .* is inside the evidence .*; write it elsewhere$/;
      const runs = OUT_OPTIONS.map((option) => ({
        args: ['analyze', 'ev', option, `evlink/${option.replace(/^-+/, '')}.out`],
        code: 2,
        stderr: refused,
        absent: [`ev/${option.replace(/^-+/, '')}.out`],
      }));
      return [
        ...runs,
        {
          args: ['ingest', 'ev', '--case', 'evlink/case.db'],
          code: 2,
          stderr: refused,
          absent: ['ev/case.db'],
        },
        {
          args: ['ingest', 'evlink', '--case', 'ev/x/case.db'],
          code: 2,
          stderr: refused,
          absent: ['ev/x/case.db'],
        },
        {
          args: ['ingest', 'ev/app.log', '--case', 'ev/app.log'],
          code: 2,
          stderr: refused,
        },
      ];
    },
  },
  {
    name: 'extract-into-the-bundle',
    found: '`snapshot extract --out <bundle>/extracted` writes into the bundle',
    build(dir) {
      // A layout no rule knows (`data/`, not `backend/`): only the snapshot's own folder was refused.
      const main = kineDatabase(join(dir, 'kine.sqlite'), ['/registry/pods/a/b']);
      writeSnapshot(join(dir, 'ev/node1/data'), fsmPayload([{ name: 'k8s', main }]));
      symlinkSync('ev', join(dir, 'evlink'));
      symlinkSync('../ev/node1', join(dir, 'out/nodelink'));
      const snapshot = 'ev/node1/data/snapshot-1-32-1263800';
      const refused = /^howchain: --out \S+ is inside the evidence \/\S+\/ev; write it elsewhere$/;
      return [
        ...['ev/extracted', 'evlink/extracted', 'out/nodelink/extracted'].map((out) => ({
          args: ['snapshot', 'extract', snapshot, '--out', out],
          code: 2,
          stderr: refused,
          absent: ['ev/extracted', 'ev/node1/extracted'],
        })),
        // Given through a link to the bundle, the bundle is still the evidence.
        {
          args: ['snapshot', 'extract', `evlink/node1/data/snapshot-1-32-1263800`, '--out', 'ev/x'],
          code: 2,
          stderr: refused,
          absent: ['ev/x'],
        },
        {
          args: ['snapshot', 'extract', snapshot, '--out', 'out/db'],
          code: 0,
          stderr: null,
          present: ['out/db/k8s.sqlite'],
        },
      ];
    },
  },
  {
    name: 'case-not-a-case',
    found: '`ingest --case` on an SQLite file that is not a case changes it and exits 0',
    build(dir) {
      writeLines(join(dir, 'ev/app.log'), 5, LEASE_LINE);
      const other = new Database(join(dir, 'out/notes.db'));
      other.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')");
      other.close();
      writeFileSync(join(dir, 'out/text.db'), 'not a database at all\n');
      return [
        {
          args: ['ingest', 'ev', '--case', 'out/notes.db'],
          code: 2,
          stderr: /^howchain: \S*out\/notes\.db: not a howchain case /,
          evidence: ['ev', 'out/notes.db'],
        },
        {
          args: ['ingest', 'ev', '--case', 'out/text.db'],
          code: 2,
          stderr: /^howchain: \S*out\/text\.db: not a howchain case /,
          evidence: ['ev', 'out/text.db'],
        },
      ];
    },
  },
  {
    name: 'gzip-trailing-junk',
    found: 'trailing junk after gzip data discards a valid archive',
    build(dir) {
      // Made by tar(1) and gzip, as collectors make them; the junk is what a bad copy appends.
      mkdirSync(join(dir, 'out/b'));
      writeLines(join(dir, 'out/b/app.log'), 3, LEASE_LINE);
      writeLines(join(dir, 'out/b/other.log'), 2000, (i) => LEASE_LINE(i + 7));
      const archive = join(dir, 'ev/junk.tar.gz');
      execFileSync('tar', ['-czf', archive, '-C', join(dir, 'out'), 'b']);
      appendFileSync(archive, '\n\0\0junk after the data\n');
      const junk =
        /^warning: ev\/junk\.tar\.gz: 23 bytes of trailing junk after the gzip data \(from byte \d+\); ignored, everything before it was read$/;
      return [
        {
          args: ['events', 'ev/junk.tar.gz', '--json'],
          code: 2,
          stderr: junk,
          stdoutHas: ['"subject":"kube-system/c0"', '"subject":"kube-system/c6"'],
        },
        {
          args: ['ingest', 'ev/junk.tar.gz', '--json'],
          code: 2,
          stderr: junk,
          stdoutHas: ['"path": "app.log"', '"path": "other.log"'],
        },
      ];
    },
  },
  {
    name: 'nul-byte-in-log',
    found: 'one NUL or invalid UTF-8 byte in the first 64 KiB skips a whole log',
    build(dir) {
      const lines = Array.from({ length: 20 }, (_, i) => LEASE_LINE(i));
      lines[3] = `garbage \0 and \xff\xfe here\n`;
      writeFileSync(join(dir, 'ev/nul.log'), Buffer.from(lines.join(''), 'latin1'));
      return [{ args: ['events', 'ev/nul.log', '--count', '--json'], code: 0, stderr: null }];
    },
  },
  {
    name: 'corrupt-embedded-sqlite',
    found: '`snapshot extract` on a corrupt embedded SQLite says "internal error"',
    build(dir) {
      const main = Buffer.alloc(8192, 0x41);
      Buffer.from('SQLite format 3\0').copy(main);
      main.writeUInt16BE(4096, 16);
      writeSnapshot(join(dir, 'ev'), fsmPayload([{ name: 'db', main }]));
      return [
        {
          args: ['snapshot', 'extract', 'ev/snapshot-1-32-1263800', '--out', 'out/x'],
          code: 2,
          stderr: /^howchain: ev\/snapshot-1-32-1263800: database 'db' cannot be read by SQLite: /,
        },
        {
          args: ['snapshot', 'inspect', 'ev/snapshot-1-32-1263800'],
          code: 2,
          stderr: /^howchain: ev\/snapshot-1-32-1263800: database 'db' cannot be read by SQLite: /,
        },
      ];
    },
  },
  {
    name: 'yaml-alias-bomb',
    found: 'a YAML alias bomb says "internal error"',
    build(dir) {
      const lines = ['apiVersion: v1', 'kind: List', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (let i = 0; i < 9; i++) {
        const prev = String.fromCharCode(97 + i);
        lines.push(
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`,
        );
      }
      lines.push('items: *j');
      writeFileSync(join(dir, 'ev/bomb.yaml'), `${lines.join('\n')}\n`);
      return [
        {
          args: ['ingest', 'ev/bomb.yaml', '--json'],
          code: 2,
          stderr: /^warning: ev\/bomb\.yaml: YAML aliases expand past the limit/,
        },
      ];
    },
  },
  {
    name: 'time-edges',
    found: 'year 0000 becomes 1900, nanoseconds round past 9999, +99:99 accepted',
    build(dir) {
      const tail =
        'I0331 22:04:43.996761 1 leaderelection.go:297] failed to renew lease kube-system/t: context deadline exceeded\n';
      writeFileSync(
        join(dir, 'ev/times.log'),
        [
          `0000-03-31T22:04:43.000000000Z ${tail}`,
          `9999-12-31T23:59:59.999999999Z ${tail}`,
          `2026-03-31T22:04:43.000+99:99 ${tail}`,
          `2026-03-31T22:04:43.000000000Z ${tail}`,
        ].join(''),
      );
      return [
        {
          args: ['events', 'ev/times.log', '--json'],
          code: 0,
          stderr: null,
          stdoutHas: ['"ts":"0000-03-31T22:04:43', '"ts":"9999-12-31T23:59:59.999Z"', '"line":3,"ts":null'],
          stdoutLacks: ['"ts":"1900-', '+010000'],
        },
      ];
    },
  },
];

const ESC = '\u001b';

hostileCases.push(
  {
    name: 'damaged-wal',
    found: 'a damaged WAL is reported only by `snapshot inspect`, not by ingest',
    build(dir) {
      const damaged = readFileSync(join(FIXTURES, 'dqlite-real/uncompressed/snapshot-1-32-3286395'));
      const at = damaged.length - 100; // inside the page of the WAL's last frame
      damaged[at] = (damaged[at] as number) ^ 0xff;
      writeSnapshot(join(dir, 'ev/backend'), damaged, 'snapshot-1-32-3286395');
      return [
        {
          args: ['ingest', 'ev'],
          code: 2,
          stderr:
            /^warning: ev\/backend\/snapshot-1-32-3286395: database 'k8s': WAL frame \d+ fails its checksum/,
          stdoutHas: ['snapshot-1-32-3286395'],
        },
      ];
    },
  },
  {
    name: 'duplicate-member-names',
    found: 'two tar members with one name merge: hash from one, events from the other',
    async build(dir) {
      const mtime = new Date('2026-04-01T00:00:00Z');
      // Two names that are not UTF-8 (bytes ff and fe), which a UTF-8 decoder turns into the same U+FFFD.
      const archive = await tarball(
        [
          { header: { name: 'x/a.log', mtime }, body: LEASE_LINE(1) },
          { header: { name: 'x//a.log', mtime }, body: LEASE_LINE(2) },
          { header: { name: 'x/a.log', mtime }, body: LEASE_LINE(3) },
          { header: { name: 'x/1.log', mtime }, body: LEASE_LINE(4) },
          { header: { name: 'x/2.log', mtime }, body: LEASE_LINE(5) },
        ],
        false,
      );
      renameMember(archive, 'x/1.log', Buffer.from([0x78, 0x2f, 0xff, 0x2e, 0x6c, 0x6f, 0x67]));
      renameMember(archive, 'x/2.log', Buffer.from([0x78, 0x2f, 0xfe, 0x2e, 0x6c, 0x6f, 0x67]));
      writeFileSync(join(dir, 'ev/dup.tar'), archive);
      const named =
        /^warning: ev\/dup\.tar: member [23] named x\/a\.log in the archive .*; read apart as x\/a\.log#[23], /;
      return [
        {
          args: ['ingest', 'ev/dup.tar', '--json'],
          code: 2,
          stderr: named,
          maxStderrLines: 2,
          // The common top folder x/ is dropped, as for every archive.
          stdoutHas: [
            '"path": "a.log"',
            '"path": "a.log#2"',
            '"path": "a.log#3"',
            '"path": "%FF.log"',
            '"path": "%FE.log"',
          ],
        },
      ];
    },
  },
  {
    name: 'non-utf8-folder-names',
    found: 'two non-UTF-8 file names in a folder both read as U+FFFD: one file hashed, the other cited',
    build(dir) {
      const named = (...bytes: number[]) =>
        Buffer.concat([Buffer.from(join(dir, 'ev/')), Buffer.from(bytes), Buffer.from('.log')]);
      try {
        writeFileSync(named(0xff), LEASE_LINE(1));
        writeFileSync(named(0xfe), LEASE_LINE(2));
      } catch (error) {
        // Only a file system that refuses such names (EILSEQ) is a reason not to run this case.
        if ((error as NodeJS.ErrnoException).code === 'EILSEQ') return [];
        throw error;
      }
      writeFileSync(join(dir, 'ev/%FF.log'), LEASE_LINE(3));
      return [
        {
          args: ['ingest', 'ev', '--json'],
          code: 2,
          stderr: /^warning: ev: file 2 named %FF\.log in the folder .*; read apart as %FF\.log#2$/,
          stdoutHas: ['"path": "%FE.log"', '"path": "%FF.log"', '"path": "%FF.log#2"'],
        },
        {
          args: ['events', 'ev'],
          code: 2,
          stderr: /^warning: ev: file 2 named %FF\.log in the folder /,
          stdoutHas: ['ev/%FE.log:1', 'ev/%FF.log:1', 'ev/%FF.log#2:1', 'kube-system/c1', 'kube-system/c2'],
        },
      ];
    },
  },
  {
    name: 'control-characters',
    found: 'ESC, BEL and CR from file names and log lines printed raw to the terminal',
    build(dir) {
      const evil = `evil${ESC}[2J${ESC}]0;owned\u0007\r.log`;
      writeFileSync(join(dir, 'ev', evil), `${LEASE_LINE(0).trimEnd()} ${ESC}[31mred\u0007\rover\n`);
      writeFileSync(
        join(dir, 'ev', `bad${ESC}[5m.json`),
        '{"apiVersion": "v1", "kind": "List", "items": [\n',
      );
      return [
        {
          args: ['events', 'ev'],
          code: 2,
          stderr: /^warning: ev\/bad\\x1b\[5m\.json: JSON document is cut short/,
          stdoutLacks: [ESC, '\u0007', '\r'],
          stdoutHas: ['evil\\x1b[2J\\x1b]0;owned\\x07\\x0d.log:1', 'red\\x07\\x0dover'],
        },
        {
          args: ['ingest', 'ev'],
          code: 2,
          stderr: /^warning: ev\/bad\\x1b\[5m\.json: /,
          stdoutLacks: [ESC, '\u0007'],
        },
      ];
    },
  },
);

hostileCases.push(
  {
    name: 'outputs-hard-linked-to-evidence',
    found: 'an output path that is a hard link to an evidence file overwrites it (same bytes, other name)',
    build(dir) {
      writeLines(join(dir, 'ev/app.log'), 5, LEASE_LINE);
      linkSync(join(dir, 'ev/app.log'), join(dir, 'out/pir.md'));
      mkdirSync(join(dir, 'out/charts'));
      linkSync(join(dir, 'ev/app.log'), join(dir, 'out/charts/snapshot-timeline.svg'));
      const refused =
        /^howchain: --\S+ out\/pir\.md is a hard link to ev\/app\.log in the evidence ev; write it elsewhere$/;
      return [
        ...['-o', '--html', '--case', '--charts'].map((option) => ({
          args: ['analyze', 'ev', option, 'out/pir.md'],
          code: 2,
          stderr: refused,
          evidence: ['ev', 'out/pir.md'],
        })),
        {
          args: ['ingest', 'ev', '--case', 'out/pir.md'],
          code: 2,
          stderr: refused,
          evidence: ['ev', 'out/pir.md'],
        },
        // The log also under a chart's own name: the chart replaces the name, the log keeps its bytes.
        {
          args: ['analyze', 'ev', '--charts', 'out/charts', '-o', 'out/other.md'],
          code: 0,
          stderr: /^wrote out\/other\.md: /,
          present: ['out/charts/snapshot-timeline.svg', 'out/other.md'],
        },
      ];
    },
  },
  {
    name: 'charts-onto-a-file',
    found: '`--charts` naming an existing file: internal error (EEXIST from mkdir)',
    build(dir) {
      writeLines(join(dir, 'ev/app.log'), 5, LEASE_LINE);
      writeFileSync(join(dir, 'out/notes.txt'), 'mine\n');
      return [
        {
          args: ['analyze', 'ev', '--charts', 'out/notes.txt'],
          code: 2,
          stderr: /^howchain: --charts out\/notes\.txt is a file; give a folder for the charts$/,
          evidence: ['ev', 'out/notes.txt'],
        },
      ];
    },
  },
  {
    name: 'snapshot-names-on-the-terminal',
    found:
      '`snapshot inspect` prints database names and kine prefixes raw: ESC, BEL and line breaks reach the terminal',
    build(dir) {
      const names = [`/registry/a${ESC}[2J\u0007\r\n# b/x`, '/registry/pods/ns/p'];
      const main = kineDatabase(join(dir, 'kine.sqlite'), names);
      writeSnapshot(join(dir, 'ev'), fsmPayload([{ name: `k8s${ESC}]0;owned\u0007\n# db`, main }]));
      const snapshot = 'ev/snapshot-1-32-1263800';
      return [
        {
          args: ['snapshot', 'inspect', snapshot],
          code: 0,
          stderr: null,
          stdoutLacks: [ESC, '\u0007', '\r', '\n# '],
          stdoutHas: ['database k8s\\x1b]0;owned\\x07\\x0a# db: ', '/registry/a\\x1b[2J\\x07\\x0d\\x0a# b/'],
        },
        {
          args: ['snapshot', 'extract', snapshot, '--out', 'out/x'],
          code: 0,
          stderr: null,
          stdoutLacks: [ESC, '\u0007', '\n# '],
        },
      ];
    },
  },
);

hostileCases.push({
  name: 'skipped-file-named-alike',
  found:
    '`analyze` and `correlate` named a skipped file inside the bundle, `ingest` and `events` with the bundle path',
  build(dir) {
    mkdirSync(join(dir, 'out/b/sub'), { recursive: true });
    writeLines(join(dir, 'out/b/sub/app.log'), 3, LEASE_LINE);
    writeFileSync(join(dir, 'out/b/sub/bad.json'), '{"apiVersion": "v1", "kind": "List", "items": [\n');
    execFileSync('tar', ['-czf', join(dir, 'ev/b.tar.gz'), '-C', join(dir, 'out'), 'b']);
    cpSync(join(dir, 'out/b'), join(dir, 'ev/b'), { recursive: true });
    // Every stderr line is the one warning, named `where`, or analyze's own "wrote" line.
    const named = (where: string) =>
      new RegExp(
        `^(?:warning: ${where}/sub/bad\\.json: JSON document is cut short \\(line 1\\)|wrote out/pir\\.md: .*)$`,
      );
    const readers = (input: string) => [
      ['events', input],
      ['correlate', input, '--permutations', '9'],
      ['analyze', input, '--permutations', '9', '-o', 'out/pir.md'],
    ];
    const runs = (args: string[][], where: string): HostileRun[] =>
      args.map((run) => ({ args: run, code: 2, stderr: named(where), maxStderrLines: 2 }));
    return [
      ...runs([['ingest', 'ev/b'], ...readers('ev/b')], 'ev/b'),
      ...runs([['ingest', 'ev/b.tar.gz'], ...readers('ev/b.tar.gz')], 'ev/b\\.tar\\.gz'),
      ...runs([['ingest', 'ev/b', '--case', 'out/case.db']], 'ev/b'),
      // A case read back names the bundle by the path it recorded.
      ...runs(readers('out/case.db'), '/\\S+/ev/b'),
    ];
  },
});

hostileCases.push({
  name: 'serve-on-the-network-unasked',
  found: '`serve --host` other than loopback without --allow-remote',
  build() {
    return ['0.0.0.0', '::', '10.1.2.3'].map((host) => ({
      args: ['serve', '--host', host, '--port', '0', '--case', 'out/case.db'],
      code: 2,
      stderr: new RegExp(
        `^howchain: --host ${host.replace(/\./g, '\\.')} would let anyone who can reach it read the evidence; add --allow-remote if that is meant$`,
      ),
      absent: ['out/case.db', 'out/case.evidence'],
    }));
  },
});

hostileCases.push({
  name: 'kine-many-prefixes-diff',
  found: '`snapshot diff` of two kine tables with many distinct prefixes: quadratic (60,000 prefixes, 61 s)',
  build(dir) {
    const copy = (count: number, name: string) => {
      const names = (function* () {
        for (let i = 0; i < count; i++) yield `/registry/r${i}/ns/obj`;
      })();
      writeSnapshot(
        join(dir, 'ev'),
        fsmPayload([{ name: 'db', main: kineDatabase(join(dir, `${name}.sqlite`), names) }]),
        name,
      );
    };
    copy(MANY, 'snapshot-1-32-1000');
    copy(MANY + 1, 'snapshot-1-64-2000');
    const folded = (n: number) => (n - 1000).toLocaleString('en-US');
    return [
      {
        // Every prefix listed: the pairing of both sides stays linear.
        args: [
          'snapshot',
          'diff',
          'ev/snapshot-1-32-1000',
          'ev/snapshot-1-64-2000',
          '--max-kine-prefixes',
          String(MANY + 1),
        ],
        code: 0,
        stderr: null,
        stdoutHas: [
          `| db | \`/registry/r${MANY}/\` | – | 1 | +1 | new |`,
          `${MANY + 1} more table or prefix row counts unchanged`,
        ],
      },
      {
        // By default the same 1,000 prefixes are listed on both sides and the rest are summed.
        args: ['snapshot', 'diff', 'ev/snapshot-1-32-1000', 'ev/snapshot-1-64-2000'],
        code: 0,
        stderr: null,
        stdoutHas: [
          `| db | ${folded(MANY)} → ${folded(MANY + 1)} other prefixes (not listed) | ${folded(MANY)} | ${folded(MANY + 1)} | +1 | 0.0% | ${folded(MANY)} → ${folded(MANY + 1)} |`,
        ],
        stdoutLacks: [`/registry/r${MANY}/`],
      },
    ];
  },
});

/** Writes every case under `root/<name>/` (with its `ev/` and `out/` folders). */
export async function writeCorpus(root: string): Promise<Map<string, HostileRun[]>> {
  const runs = new Map<string, HostileRun[]>();
  for (const hostile of hostileCases) {
    const dir = join(root, hostile.name);
    mkdirSync(join(dir, 'ev'), { recursive: true });
    mkdirSync(join(dir, 'out'), { recursive: true });
    runs.set(hostile.name, await hostile.build(dir));
  }
  return runs;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const root = process.argv[2];
  if (!root) throw new Error('usage: node --import tsx test/hostile/corpus.ts <folder>');
  for (const [name, runs] of await writeCorpus(root))
    for (const run of runs)
      process.stdout.write(`${name}\thowchain ${run.args.join(' ')}\texit ${run.code}\n`);
}
