import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvidenceEvent } from '../../src/types/index.js';
import { makeBundle } from '../bundle/_bundle.js';
import { runCli } from './snapshot-helpers.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('howchain events', () => {
  it('--json prints one event per line with the documented fields, files named as given', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const file = join(dir, 'logs/csi-provisioner.log');
    const run = await runCli(['events', file, '--json']);
    expect(run.code).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EvidenceEvent);
    expect(events.map((event) => Object.keys(event))).toEqual(
      events.map(() => [
        'file',
        'line',
        'ts',
        'tsSource',
        'kind',
        'subject',
        'source',
        'severity',
        'message',
      ]),
    );
    expect(events.map((event) => [event.file, event.line, event.kind, event.ts])).toEqual([
      [file, 2, 'lease_lock_retrieve_error', '2026-03-31T22:04:42.355Z'],
      [file, 3, 'lease_renew_failure', '2026-03-31T22:04:43.996Z'],
      [file, 4, 'leader_lost', '2026-03-31T22:04:43.997Z'],
      [file, 5, 'lease_renew_failure', '2026-03-31T22:04:44.000Z'],
    ]);
    expect(events[3]?.message).toContain('Bearer [redacted]');
  });

  it('--count and --kind over a folder; --year places journald short lines', async () => {
    const { root, dir } = makeBundle('evidence', { from: 'bundle/basic' });
    cleanup.push(root);
    const counted = await runCli([
      'events',
      dir,
      '--count',
      '--json',
      '--kind',
      'leader_lost',
      '--kind',
      'crashloop',
    ]);
    expect(JSON.parse(counted.stdout)).toEqual({ count: 5, byKind: { leader_lost: 3, crashloop: 2 } });
    expect(counted.code).toBe(2);
    const listed = await runCli([
      'events',
      join(dir, 'journal'),
      '--json',
      '--year',
      '2025',
      '--kind',
      'crashloop',
    ]);
    expect(JSON.parse(listed.stdout)).toMatchObject({
      ts: '2025-03-31T22:04:43.000Z',
      tsSource: 'zone-assumed',
    });
  });

  it('rejects a bad --tz before reading anything', async () => {
    const run = await runCli(['events', '.', '--tz', 'Mars/Olympus']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'howchain: --tz Mars/Olympus: not an offset like +10:00 or a zone name like Australia/Brisbane',
    );
  });
});

describe('howchain events | head', () => {
  it('stops quietly when the reader closes the pipe', async () => {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const cli = join(import.meta.dirname, '../../src/cli/index.ts');
    const sample = join(import.meta.dirname, '../../samples/bundle');
    const run = await promisify(execFile)(
      'sh',
      ['-c', `"${process.execPath}" --import tsx "${cli}" events "${sample}" | head -1`],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(run.stdout.split('\n')).toHaveLength(2);
    expect(run.stderr).not.toMatch(/EPIPE|Error/);
  });
});
