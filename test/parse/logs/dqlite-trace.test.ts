import { describe, expect, it } from 'vitest';
import { readLine } from '../../../src/parse/logs/index.js';
import { resolveTime } from '../../../src/parse/time.js';

const TRACE =
  'LIBDQLITE[  2222] 2024-01-12T10:00:33.912050507 002230 DEBUG   takeSnapshot         src/raft/replication.c:1814 take snapshot at 1048576';

describe('dqlite-trace inside journald', () => {
  it('keeps the tracer’s own UTC time over journald short’s year-less, host-local seconds', () => {
    const reading = readLine(`Jan 12 20:00:33 k8s02 microk8s.daemon-k8s-dqlite[2222]: ${TRACE}`);
    expect(reading.formats).toEqual(['journald-short', 'dqlite-trace']);
    expect(reading.body).toBe('take snapshot at 1048576');
    expect(reading.fields?.host).toBe('k8s02');
    expect(resolveTime(reading.time, reading.origin, {})).toEqual({
      ts: '2024-01-12T10:00:33.912Z',
      tsSource: 'line',
    });
  });

  it('reads journalctl -o json records and their host', () => {
    const record = JSON.stringify({
      __REALTIME_TIMESTAMP: '1705053633913000',
      _HOSTNAME: 'k8s03',
      SYSLOG_IDENTIFIER: 'microk8s.daemon-k8s-dqlite',
      MESSAGE: TRACE,
    });
    const reading = readLine(record);
    expect(reading.formats).toEqual(['journald-json', 'dqlite-trace']);
    expect(reading.fields?.host).toBe('k8s03');
    expect(resolveTime(reading.time, reading.origin, {}).ts).toBe('2024-01-12T10:00:33.912Z');
  });

  it('leaves other formats under journald on the wrapper’s clock unless the line’s own time says more', () => {
    const yearless = readLine(
      'Jan 12 10:00:31 node-1 microk8s.daemon-k8s-dqlite[2222]: time="10:00:30" level=error msg="x"',
    );
    expect(yearless.origin).toBe('journald');
    // journald short has neither year nor zone; logfmt's RFC 3339 time has both.
    const full = readLine(
      'Jan 12 10:00:31 node-1 microk8s.daemon-k8s-dqlite[2222]: time="2024-01-12T10:00:30Z" level=error msg="x"',
    );
    expect(full.origin).toBe('line');
    expect(resolveTime(full.time, full.origin, {}).ts).toBe('2024-01-12T10:00:30.000Z');
  });
});
