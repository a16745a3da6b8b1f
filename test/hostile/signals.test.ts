/**
 * Ctrl-C and SIGTERM mid-decode: a decoded snapshot is every stored object in plain text (Secrets
 * included), so the scratch must go with the process. Each run is stopped once its scratch folder
 * holds a decoded database, and the private TMPDIR must then be empty.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fsmPayload, kineDatabase, writeSnapshot } from './_make.js';
import { startHowchain } from './_run.js';

const root = mkdtempSync(join(tmpdir(), 'howchain-signals-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(() => {
  // Big enough that measuring it takes a while after the decode has written its scratch files.
  const names = (function* () {
    for (let i = 0; i < 300_000; i++) yield `/registry/pods/ns${i % 50}/pod-${i}`;
  })();
  const main = kineDatabase(join(root, 'kine.sqlite'), names);
  writeSnapshot(join(root, 'ev', 'backend'), fsmPayload([{ name: 'k8s', main }]));
}, 120_000);

/** Any decoded database file under `dir` (howchain-*-XXXX/…/db-N.sqlite), once it has bytes. */
function decodedIn(dir: string): boolean {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).some(
    (entry) =>
      entry.isFile() &&
      /^db-\d+\.sqlite$/.test(entry.name) &&
      statSync(join(entry.parentPath, entry.name)).size > 0,
  );
}

async function stopMidDecode(args: string[], signal: 'SIGINT' | 'SIGTERM') {
  const scratch = join(root, `tmp-${signal}-${args[0]}`);
  mkdirSync(scratch);
  const started = startHowchain(root, args, scratch);
  let sent = false;
  for (let waited = 0; waited < 60_000 && started.child.exitCode === null; waited += 10) {
    if (existsSync(scratch) && decodedIn(scratch)) {
      started.child.kill(signal);
      sent = true;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const code = await started.closed;
  return { sent, code, stderr: started.stderr(), left: started.leftovers() };
}

describe('a run stopped mid-decode leaves no scratch', () => {
  it('snapshot inspect, Ctrl-C: exit 130, temp folder empty', async () => {
    const run = await stopMidDecode(['snapshot', 'inspect', 'ev/backend/snapshot-1-32-1263800'], 'SIGINT');
    expect(run.sent, run.stderr).toBe(true);
    expect(run.code).toBe(130);
    expect(run.left).toEqual([]);
  }, 120_000);

  it('ingest into a temporary case, SIGTERM: exit 143, temp folder empty', async () => {
    const run = await stopMidDecode(['ingest', 'ev'], 'SIGTERM');
    expect(run.sent, run.stderr).toBe(true);
    expect(run.code).toBe(143);
    expect(run.left).toEqual([]);
  }, 120_000);
});

describe('a signal during the last synchronous stretch of a run', () => {
  it('is still the exit code (130), not a clean exit, and the scratch goes', async () => {
    // Plain node, not tsx: tsx's own handles keep the event loop alive and would hide the fault.
    const dir = mkdtempSync(join(root, 'sync-'));
    const source = readFileSync(join(import.meta.dirname, '../../src/scratch.ts'), 'utf8');
    const compiled = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, 'scratch.mjs'), compiled.outputText);
    writeFileSync(
      join(dir, 'main.mjs'),
      [
        "import { makeScratchDir, removeScratchOnExit } from './scratch.mjs';",
        'removeScratchOnExit();',
        "makeScratchDir('sync');",
        "process.stdout.write('ready\\n');",
        // A parse of a large document: nothing async until the run is over.
        'for (const end = Date.now() + 1500; Date.now() < end; );',
      ].join('\n'),
    );
    const scratch = join(dir, 'tmp');
    mkdirSync(scratch);
    const child = spawn(process.execPath, [join(dir, 'main.mjs')], {
      env: { ...process.env, TMPDIR: scratch },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGINT'), 300));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(readdirSync(scratch)).toEqual([]);
  }, 60_000);
});
