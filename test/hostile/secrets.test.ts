/**
 * Plants one secret of each kind the redaction must catch — by key name, by context and by value
 * shape — in log lines that become events, in lines beside them that do not (the excerpts around a
 * citation show those), and in a Pod's env, args and image, then runs every command that writes
 * something and greps all of it (stdout, stderr, pir.md, the HTML report, the SVG charts, the case
 * database and its WAL, and every page `serve` answers after an upload) for each planted value.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineEngine } from '../../src/serve/engine.js';
import { startServer } from '../../src/serve/server.js';
import { postUploads } from '../serve/_evidence.js';
import { LEASE_LINE } from './_make.js';
import { run } from './_run.js';

/** Each value is unique, so finding it anywhere means it leaked. */
const SECRETS = {
  pgpassword: 'pgHunter2planted',
  passwordFlag: 'flagPw0rdPlanted',
  cookie: 'cookieSess1onPlanted',
  authorization: 'digestResp0nsePlanted',
  github: 'ghp_Pl4ntedGithubTokenValue0123456789',
  gitlab: 'glpat-Pl4ntedGitlabToken01234',
  slack: 'xoxb-998877665544-Pl4ntedSlack',
  aws: 'AKIAPL4NTEDAWSKEY012',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnUGxhbnRlZFNpZw',
  webhook: 'T0PLANT/B0PLANT/Pl4ntedWebhookSecret',
  randomAfterToken: '7f3a9b2c4d5e6f7081Pl4nted92a3b4c5',
  urlPassword: 'urlPassPlanted9',
  mysql: 'mysqlPwPlanted7',
  envToken: 'ghp_EnvPl4ntedTokenValue01234567890',
  envWebhook: 'T1PLANT/B1PLANT/EnvPl4ntedHook',
  argsToken: 'argsTok3nPlanted',
  imagePassword: 'imagePa55Planted',
  redisPassword: 'redisPwPlanted3',
  // Beside the events, on lines that are not events themselves.
  pemBody: 'MIIEvQPl4ntedPemBodyLine0123',
  contextPassword: 'ctxPwPlanted5',
};

/** Lines that hold no event; an excerpt around a cited line shows them. */
const CONTEXT = [
  '-----BEGIN PRIVATE KEY-----',
  SECRETS.pemBody,
  '-----END PRIVATE KEY-----',
  `db_password=${SECRETS.contextPassword}`,
];

const LINES = [
  `export PGPASSWORD ${SECRETS.pgpassword}`,
  `psql --password ${SECRETS.passwordFlag} -h db`,
  `Cookie: session=${SECRETS.cookie}; theme=dark`,
  `Authorization: Digest username="ops", response="${SECRETS.authorization}"`,
  `clone with ${SECRETS.github}`,
  `gitlab ${SECRETS.gitlab}`,
  `slack ${SECRETS.slack}`,
  `aws ${SECRETS.aws}`,
  `sa ${SECRETS.jwt}`,
  `notify https://hooks.slack.com/services/${SECRETS.webhook}`,
  `using token ${SECRETS.randomAfterToken} now`,
  `fetch https://ops:${SECRETS.urlPassword}@git.example.com/repo`,
  `mysql -uroot -p${SECRETS.mysql} kine`,
  `cache redis://:${SECRETS.redisPassword}@redis:6379`,
];

function pod(): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app-1', namespace: 'ops', uid: 'u1' },
    spec: {
      containers: [
        {
          name: 'app',
          image: `bob:${SECRETS.imagePassword}@registry.example.com/app:1.0`,
          args: ['--token', SECRETS.argsToken, '--v=2'],
          env: [
            { name: 'GITHUB', value: SECRETS.envToken },
            { name: 'NOTIFY_URL', value: `https://hooks.slack.com/services/${SECRETS.envWebhook}` },
          ],
        },
      ],
    },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', restartCount: 0, ready: true }] },
  });
}

/** Every file under `dir`, as bytes decoded latin1 (so a search finds the value in binary files too). */
function allFiles(dir: string): { path: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, text: readFileSync(path).toString('latin1') };
    });
}

/** Uploads the evidence to `serve` with a case under `dir`, and returns every page it answers then. */
async function servedPages(dir: string, ev: string): Promise<{ where: string; text: string }[]> {
  mkdirSync(dir);
  const server = await startServer({
    casePath: join(dir, 'case.db'),
    engine: await pipelineEngine(),
    port: 0,
    log: () => {},
  });
  try {
    const url = new URL(server.url);
    const files = readdirSync(ev).map((name): [string, Buffer] => [name, readFileSync(join(ev, name))]);
    const upload = await postUploads(url, files);
    expect(upload.status, await upload.clone().text()).toBe(201);
    const pages = [{ where: 'upload response', text: await upload.text() }];
    for (const path of ['/', '/api/pir.md', '/api/analysis', '/api/evidence', '/api/uploads']) {
      const response = await fetch(new URL(path, url));
      expect(response.status, path).toBe(200);
      pages.push({ where: `serve ${path}`, text: await response.text() });
    }
    // The case and the stored uploads are outputs too; the uploads are the evidence, kept as given.
    for (const file of allFiles(dir).filter((file) => !file.path.includes('.evidence/')))
      pages.push({ where: file.path, text: file.text });
    return pages;
  } finally {
    await server.close();
  }
}

const root = mkdtempSync(join(tmpdir(), 'howchain-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('no planted secret reaches any output or the case database', () => {
  it('plants every kind, runs every writing command, finds none of them', async () => {
    const ev = join(root, 'ev');
    const out = join(root, 'out');
    mkdirSync(ev);
    mkdirSync(out);
    // Each secret rides on a line the classifier keeps as an event, so it reaches events and the PIR.
    writeFileSync(
      join(ev, 'app.log'),
      LINES.map(
        (line, i) => `${LEASE_LINE(i).trimEnd()} ${line}\n${i === 1 ? CONTEXT.join('\n') + '\n' : ''}`,
      ).join(''),
    );
    writeFileSync(join(ev, 'pods.json'), `${pod()}\n`);
    const outputs: { where: string; text: string }[] = [];
    for (const args of [
      ['ingest', 'ev', '--case', 'out/case.db', '--json'],
      ['ingest', 'ev'],
      ['events', 'ev', '--json'],
      ['events', 'ev'],
      [
        'analyze',
        'ev',
        '-o',
        'out/pir.md',
        '--charts',
        'out/charts',
        '--html',
        'out/report.html',
        '--permutations',
        '9',
      ],
      ['analyze', 'ev', '--json', '--permutations', '9'],
      ['correlate', 'out/case.db', '--json', '--permutations', '9'],
    ]) {
      const ran = await run(root, args);
      expect(ran.code, `${args.join(' ')}\n${ran.stderr}`).toBeLessThan(3);
      outputs.push({ where: `stdout of ${args.join(' ')}`, text: ran.stdout });
      outputs.push({ where: `stderr of ${args.join(' ')}`, text: ran.stderr });
    }
    outputs.push(...(await servedPages(join(root, 'served'), ev)));
    const files = allFiles(out);
    expect(files.map((file) => file.path.slice(out.length + 1))).toEqual(
      expect.arrayContaining(['case.db', 'pir.md', 'report.html']),
    );
    // The excerpts did show the lines beside the events (redacted): else the context was not tested.
    expect(outputs.some((output) => output.text.includes('db_password=[redacted]'))).toBe(true);
    for (const file of files) outputs.push({ where: file.path, text: file.text });
    // The planted lines did reach the outputs (redacted): the test would pass vacuously otherwise.
    expect(outputs.some((output) => output.text.includes('export PGPASSWORD [redacted]'))).toBe(true);
    const leaks = Object.entries(SECRETS).flatMap(([kind, value]) =>
      outputs.filter((output) => output.text.includes(value)).map((output) => `${kind} in ${output.where}`),
    );
    expect(leaks).toEqual([]);
  }, 240_000);
});
