import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyLine, EVENT_NEEDLES, EVENT_RULES } from '../../../src/parse/classify/index.js';
import { EVENT_KINDS } from '../../../src/types/index.js';

const folder = fileURLToPath(new URL('../../../src/parse/classify/', import.meta.url));

describe('event rule registry', () => {
  it('lists every rule file in src/parse/classify, one per line kind', async () => {
    const files = readdirSync(folder).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('_') && !['index.ts', 'types.ts'].includes(f),
    );
    for (const file of files) {
      const module = (await import(join(folder, file))) as Record<string, unknown>;
      expect(
        Object.values(module).some((value) => EVENT_RULES.includes(value as never)),
        `${file} is not in EVENT_RULES`,
      ).toBe(true);
    }
    expect(files.length).toBe(EVENT_RULES.length);
    // Every kind comes from a line rule (`snapshot` also from listings and snapshot files).
    expect(EVENT_RULES.map((r) => r.kind).sort()).toEqual([...EVENT_KINDS].sort());
  });

  it('collects every needle for the scanner', () => {
    for (const rule of EVENT_RULES)
      for (const needle of rule.needles) expect(EVENT_NEEDLES).toContain(needle);
  });
});

for (const rule of EVENT_RULES) {
  describe(rule.kind, () => {
    it('has samples and negatives', () => {
      expect(rule.samples.length).toBeGreaterThan(0);
      expect(rule.negatives.length).toBeGreaterThan(0);
    });
    rule.samples.forEach((sample, index) => {
      it(`classifies sample ${index + 1}`, () => {
        const result = classifyLine(sample.line);
        expect(result?.event.kind, sample.line).toBe(rule.kind);
        expect(result?.event.subject).toBe(sample.subject);
        expect(result?.event.severity).toBe(rule.severity);
      });
      it(`sample ${index + 1} contains one of the needles`, () => {
        expect(rule.needles.some((needle) => sample.line.includes(needle))).toBe(true);
      });
    });
    rule.negatives.forEach((line, index) => {
      it(`does not turn negative ${index + 1} into any event`, () => {
        expect(classifyLine(line), line).toBeNull();
      });
    });
  });
}

describe('tricky negatives named in the issue', () => {
  const negatives = [
    'I0401 09:12:31.000000   53319 leaderelection.go:257] attempting to acquire leader lease kube-system/kube-controller-manager...',
    'I0401 09:12:33.000000   53319 leaderelection.go:283] successfully renewed lease kube-system/kube-scheduler',
    '      --leader-elect-renew-deadline duration   The interval between attempts by the acting master to renew a leadership slot before it stops leading. This must be less than the lease duration. (default 10s)',
    '  -lease-duration duration',
    '{"level":"warn","ts":"2026-04-01T09:12:33.000Z","caller":"etcdserver/server.go:1200","msg":"failed to revoke lease","lease-id":"694d7d1ebc6b0f05","error":"lease not found"}',
    '{"level":"warn","ts":"2026-04-01T09:12:33.000Z","caller":"v3lease/lessor.go:444","msg":"failed to renew lease","lease-id":"694d7d1ebc6b0f05"}',
    '{"level":"info","ts":"2026-04-01T09:12:33.000Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"8e9e05c52164694d became leader at term 5"}',
    '{"level":"info","ts":"2026-04-01T09:12:33.000Z","logger":"raft","caller":"etcdserver/zap_raft.go:77","msg":"raft.node: 8e9e05c52164694d elected leader 8e9e05c52164694d at term 5"}',
    'LIBDQLITE[  2222] 2026-04-01T09:12:33.912050507 002230 DEBUG   electionStart        src/raft/election.c:155 start election term 6',
  ];
  for (const line of negatives) it(line.slice(0, 70), () => expect(classifyLine(line)).toBeNull());
});

describe('priority', () => {
  it('a lease update that failed on an API timeout is a lease event, once', () => {
    const result = classifyLine(
      'E0112 10:00:45.100000   12345 leaderelection.go:497] "Failed to update lease" err="Timeout: request did not complete within requested timeout - context deadline exceeded" lock="kube-system/kube-controller-manager"',
    );
    expect(result?.event.kind).toBe('lease_renew_failure');
  });
});
