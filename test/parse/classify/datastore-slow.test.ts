import { describe, expect, it } from 'vitest';
import { datastoreSlow, traceHeader } from '../../../src/parse/classify/datastore-slow.js';
import { classifyLine, EVENT_RULES } from '../../../src/parse/classify/index.js';
import { sampleLogLines } from '../_sample-logs.js';

/** The header regex `traceHeader` reads as, the way the rule was written before it was read by parts. */
const TRACE_HEADER = /^Trace\[\d+\]: "([^"]*)".*\(total time: (\d+(?:\.\d+)?(?:ms|s|m|µs))\):?\s*$/;

function byRegex(text: string): { operation: string; total: string } | null {
  const match = TRACE_HEADER.exec(text);
  return match && { operation: match[1] as string, total: match[2] as string };
}

/** Headers as the apiserver writes them (1.26 and 1.27+), and shapes next to the reader's edges. */
const HEADERS = [
  'Trace[1726931916]: "Update" accept:application/vnd.kubernetes.protobuf, */*,audit-id:7c1d,client:127.0.0.1,api-group:coordination.k8s.io,api-version:v1,name:kube-scheduler,subresource:,namespace:kube-system,protocol:HTTP/2.0,resource:leases,scope:resource,url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (12-Jan-2024 10:00:30.095) (total time: 5004ms):',
  'Trace[1858400541]: "GuaranteedUpdate etcd3: *coordination.Lease" (started: 2024-01-12 10:00:33.001234567 +0000 UTC m=+3600.12) (total time: 2.098765s):',
  'Trace[1]: "" (total time: 5m)',
  'Trace[1]: "x"(total time: 1µs): \t',
  'Trace[1]: "x" (total time: 1ms) (total time: 2ms):',
  'Trace[1]: "a (total time: 3ms)" (total time: 4s):',
];

/** What is put into a header or put in place of one of its characters. */
const INSERTS = [
  '"',
  '\n',
  '\r',
  '\u2028',
  '\u2029',
  ' ',
  ':',
  '(',
  ')',
  '(total time: ',
  '7',
  '.',
  'ms',
  's',
  'µs',
  'x',
  '[',
  ']',
  'T',
  '\t',
];

describe('traceHeader', () => {
  it('reads every header, and every one-place change of one, as the regex does', () => {
    let checked = 0;
    for (const header of HEADERS) {
      expect(traceHeader(header), header).not.toBeNull();
      for (let at = 0; at <= header.length; at++)
        for (const insert of INSERTS)
          for (const text of [
            header.slice(0, at) + insert + header.slice(at),
            header.slice(0, at) + insert + header.slice(at + 1),
          ]) {
            expect(traceHeader(text), JSON.stringify(text)).toEqual(byRegex(text));
            checked++;
          }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it("reads the rules' samples and negatives and the sample logs as the regex does", () => {
    const lines = [
      ...EVENT_RULES.flatMap((rule) => [...rule.samples.map((sample) => sample.line), ...rule.negatives]),
      ...sampleLogLines(),
    ].flatMap((line) => {
      const at = line.indexOf('Trace[');
      return at < 0 ? [line] : [line, line.slice(at)];
    });
    expect(lines.filter((line) => byRegex(line)).length).toBeGreaterThan(2);
    for (const line of lines) expect(traceHeader(line), line).toEqual(byRegex(line));
  });

  it('gives the rule its operation, total and lease', () => {
    expect(datastoreSlow.match({ text: HEADERS[0] as string, fields: {} })).toEqual({
      subject: 'kube-system/kube-scheduler',
      attrs: { signal: 'trace', totalMs: 5004, tookMs: 5004, operation: 'Update' },
    });
  });
});

describe("etcd's trace needles", () => {
  // The trace message in every format that gives a message its `duration` field, wrapped and not.
  const lines = [
    '{"level":"info","ts":"2024-01-12T10:00:31.789Z","caller":"traceutil/trace.go:171","msg":"trace[1204] range","detail":"{range_begin:/registry/pods/; }","duration":"612.4ms","start":"2024-01-12T10:00:31.176Z"}',
    '{"level": "info", "msg": "trace[7] put", "duration": "1.5s"}',
    'time="2024-01-12T10:00:31Z" level=info msg="trace[1204] range" duration=612.4ms',
    'I0112 10:00:31.789000       1 trace.go:171] "trace[1204] range" duration="612.4ms"',
    '2024-01-12 10:00:31.789 [INFO][1] trace.go 171: trace[1204] range duration=612.4ms',
    '2024/01/12 10:00:31 INFO trace[1204] range duration=612.4ms',
    '2024/01/12 10:00:31 trace[1204] range duration=612.4ms',
  ];

  it('find the trace in each, and the rule takes it', () => {
    for (const line of [...lines, ...lines.map((line) => `2024-01-12T10:00:31.789Z stderr F ${line}`)]) {
      const event = classifyLine(line)?.event;
      expect(event?.kind, line).toBe('datastore_slow');
      expect(event?.attrs?.signal, line).toBe('trace');
    }
  });
});
