import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOG_FORMATS, readLine } from '../../../src/parse/logs/index.js';
import { resolveTime } from '../../../src/parse/time.js';

const folder = fileURLToPath(new URL('../../../src/parse/logs/', import.meta.url));

describe('log format registry', () => {
  it('lists every format file in src/parse/logs', async () => {
    const files = readdirSync(folder).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('_') && !['index.ts', 'types.ts'].includes(f),
    );
    for (const file of files) {
      const module = (await import(join(folder, file))) as Record<string, unknown>;
      expect(
        Object.values(module).some((value) => LOG_FORMATS.includes(value as never)),
        `${file} is not in LOG_FORMATS`,
      ).toBe(true);
    }
    expect(files.length).toBe(LOG_FORMATS.length);
    expect(new Set(LOG_FORMATS.map((format) => format.id)).size).toBe(LOG_FORMATS.length);
  });

  for (const format of LOG_FORMATS) {
    describe(format.id, () => {
      it('has samples', () => expect(format.samples.length).toBeGreaterThan(0));
      format.samples.forEach((sample, index) => {
        it(`parses sample ${index + 1}`, () => {
          const parsed = format.parse(sample.line);
          expect(parsed, `${format.id} did not match: ${sample.line}`).not.toBeNull();
          if (!parsed) return;
          const { expect: want } = sample;
          if (want.body !== undefined) expect(parsed.body).toBe(want.body);
          if (want.level !== undefined) expect(parsed.level).toBe(want.level);
          if (want.source !== undefined) expect(parsed.source).toBe(want.source);
          if (want.ts !== undefined)
            expect(resolveTime(parsed.time, parsed.origin, { year: 2024 }).ts).toBe(want.ts);
          for (const [key, value] of Object.entries(want.fields ?? {}))
            expect(parsed.fields?.[key], key).toBe(value);
        });
        it(`reads sample ${index + 1} through the registry as ${format.id}`, () => {
          expect(readLine(sample.line).formats[0]).toBe(format.id);
        });
      });
    });
  }
});

describe('readLine', () => {
  it('takes the wrapper time and the inner level and fields', () => {
    const reading = readLine(
      '2026-03-31T22:04:35.314340655Z E0331 22:04:35.314100       1 leaderelection.go:330] error retrieving resource lock ci/x: context deadline exceeded',
    );
    expect(reading.formats).toEqual(['kubectl-timestamps', 'klog']);
    expect(reading.origin).toBe('kubectl');
    expect(reading.level).toBe('error');
    expect(resolveTime(reading.time, reading.origin, {})).toEqual({
      ts: '2026-03-31T22:04:35.314Z',
      tsSource: 'kubectl',
    });
  });

  it('lets a line’s own full time win over a year- and zone-less journald wrapper', () => {
    const reading = readLine(
      'May 26 09:01:30 node1 etcd[812]: {"level":"warn","ts":"2023-05-26T19:01:28.123+10:00","msg":"slow fdatasync"}',
    );
    expect(reading.formats).toEqual(['journald-short', 'json-log']);
    expect(
      resolveTime(reading.time, reading.origin, { anchorMs: Date.parse('2026-11-30T00:00:00Z') }),
    ).toEqual({
      ts: '2023-05-26T09:01:28.123Z',
      tsSource: 'line',
    });
  });

  it('reads a line of no known format as text without time', () => {
    const reading = readLine('flag provided but not defined: -lease-duration');
    expect(reading.formats).toEqual([]);
    expect(reading.time).toBeNull();
    expect(reading.source).toBe('text');
  });

  it('does not mistake kubectl --timestamps klog lines for journald short-iso', () => {
    expect(
      readLine('2026-03-31T22:04:35.314340655Z I0331 22:04:35.314100       1 a.go:1] x').formats[0],
    ).toBe('kubectl-timestamps');
    expect(
      readLine(
        '2026-03-31T22:04:35.314340+00:00 k8s02 microk8s.daemon-kubelite[2290]: I0331 22:04:35.314100    2290 a.go:1] x',
      ).formats,
    ).toEqual(['journald-iso', 'klog']);
  });

  it('peels two wrappers: kubectl logs --prefix --timestamps', () => {
    const reading = readLine(
      '[pod/csi-nfs-controller-6c8d7b9f4-r5t6u/csi-provisioner] 2026-03-31T22:04:43.996994772Z I0331 22:04:43.996761       1 leaderelection.go:297] failed to renew lease kube-system/csi-nfs: context deadline exceeded',
    );
    expect(reading.formats).toEqual(['kubectl-prefix', 'kubectl-timestamps', 'klog']);
    expect(resolveTime(reading.time, reading.origin, {})).toEqual({
      ts: '2026-03-31T22:04:43.996Z',
      tsSource: 'kubectl',
    });
    expect(reading.fields?.container).toBe('csi-provisioner');
  });
});
