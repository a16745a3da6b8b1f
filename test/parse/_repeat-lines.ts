/**
 * Lines a controller repeats during an incident, and the same lines with other clocks, wrappers and
 * severities: what the repeats table (src/parse/classify/_repeats.ts) must answer as a first reading
 * would, or not answer at all.
 */
import { EVENT_RULES } from '../../src/parse/classify/index.js';
import { LOG_FORMATS } from '../../src/parse/logs/index.js';
import type { TimeResolver } from '../../src/parse/event.js';
import type { RepeatedEvent } from '../../src/parse/log-scan.js';
import type { NdjsonWriter } from '../../src/parse/ndjson.js';
import { sampleLogLines } from './_sample-logs.js';

const KLOG_CLOCK = /([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6}/;
const JSON_TIME = /"(ts|time|timestamp)":("[^"]*"|[^,}]*)/;
const JSON_TIMES = [
  '"2027-01-01T00:00:00.000Z"',
  '"2026-03-31T22:04:33Z"',
  '"2026-13-31T22:04:33.875Z"', // no time, still JSON
  '"1705053601.5"',
  '1705053601.123',
  '1705053601123.456',
  '1.7e9',
  '-1',
  '01', // not JSON
  '"x"',
  'null',
];

/**
 * The same line with another klog clock (valid or not), another severity letter, and other wrapper
 * fields and clocks: each must read and classify as if seen for the first time.
 */
export function variants(line: string): string[] {
  const out = [line];
  const found = KLOG_CLOCK.exec(line);
  if (found) {
    const at = found.index;
    const withClock = (clock: string) => `${line.slice(0, at + 1)}${clock}${line.slice(at + 21)}`;
    out.push(
      withClock('0401 00:00:00.000000'),
      withClock('1231 23:59:59.999999'),
      withClock('0229 12:00:00.500000'),
      withClock('1301 10:00:00.000000'), // month 13: not a klog clock, so not a klog line
      withClock('0132 10:00:00.000000'), // day 32
      withClock('0101 25:00:00.000000'), // hour 25
      withClock('0101 10:00:60.000000'), // second 60
      withClock('0101 10:00:00.00000x'), // not a digit
      `${line.slice(0, at)}${found[1] === 'E' ? 'I' : 'E'}${line.slice(at + 1)}`,
      `${line.slice(0, at)}X${line.slice(at + 1)}`,
    );
  }
  // A logfmt line's time: other stamps, valid or not, quoted or not, longer or shorter.
  const logfmt = /(^|: |Z |F )time=("[^"]*"|\S*)/.exec(line);
  if (logfmt) {
    const at = logfmt.index + (logfmt[1] as string).length;
    const rest = line.slice(at + 5 + (logfmt[2] as string).length);
    for (const value of [
      '"2027-01-01T00:00:00Z"',
      '"2026-03-31T22:04:3Z"',
      '"2026-13-31T22:04:39Z"',
      '"2026-03-31T22:04:39.123456+02:00"',
      '2026-03-31T22:04:39Z',
      '"x"',
      '""',
    ])
      out.push(`${line.slice(0, at)}time=${value}${rest}`);
  }
  // A JSON line's time value: other stamps and numbers, valid or not as time, as JSON.
  const json = JSON_TIME.exec(line);
  if (json) {
    for (const value of JSON_TIMES)
      out.push(`${line.slice(0, json.index)}"${json[1]}":${value}${line.slice(json.index + json[0].length)}`);
  }
  const at = found ? found.index : line.indexOf('{');
  const prefix = at > 0 ? line.slice(0, at) : '';
  // The wrapper's clock: other valid ones, invalid ones, other fraction lengths and zones.
  const clocks: [RegExp, string[]][] = [
    [
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)/,
      [
        '2027-01-01T00:00:00.000000000Z',
        // No fraction to speak of, in the second of the klog clock: the klog clock's fraction is taken.
        '2026-03-31T22:00:53.000000000Z',
        '2026-03-31T22:00:53.000000+00:00',
        '2026-12-31T23:59:59.999999+00:00',
        '2026-13-31T22:00:00.000000000Z',
        '2026-02-30T22:00:00.000000Z',
        '2026-03-31T22:00:00Z',
        '2026-03-31T22:00:00.5+05:30',
        '2026-03-31T22:00:00.123456789+0000',
        '2026-03-31T22:00:00.123456789+00:00',
        // As long as a 9-digit stamp with Z, but read by another wrapper.
        '2026-03-31T22:00:00.1234+00:00',
      ],
    ],
    [
      /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?/,
      [
        'Jan  1 00:00:00',
        'Dec 31 23:59:59.999999',
        'Feb 30 10:00:00',
        'Mar 31 25:00:00',
        'Mar 31 22:00:00.1234567',
      ],
    ],
  ];
  for (const [shape, others] of clocks) {
    const stamp = shape.exec(line);
    if (stamp) out.push(...others.map((clock) => `${clock}${line.slice(stamp[0].length)}`));
  }
  for (const [from, to] of [
    ['stderr', 'stdout'],
    ['stdout', 'stderr'],
    [' F ', ' P '],
    ['k8s02', 'k8s03'],
    ['daemon-kubelite', 'daemon-apiserver'],
    ['[2290]', '[2291]'],
    ['.000005+00:00', '.5-07:00'],
    ['Z ', '+02:00 '],
  ] as const) {
    if (prefix.includes(from)) out.push(`${prefix.replace(from, to)}${line.slice(at)}`);
  }
  return out;
}

export const REPEAT_CORPUS = [
  // One klog line in each wrapper the cuts know, and bare.
  'E0331 22:00:53.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded',
  '2026-03-31T22:00:53.434656312Z E0331 22:00:53.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded',
  '2026-03-31T22:00:53.434656312Z stderr F E0331 22:00:53.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded',
  '2026-03-31T22:00:53.434656+00:00 k8s02 microk8s.daemon-kubelite[2290]: E0331 22:00:53.434658    2290 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded',
  'Mar 31 22:00:53 k8s02 microk8s.daemon-kubelite[2290]: E0331 22:00:53.434658    2290 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded',
  'Mar 31 22:00:53.434 k8s02 microk8s.daemon-kubelite: I0331 22:00:53.434658    2290 leaderelection.go:258] successfully acquired lease ns/l',
  '[pod/p/c] 2026-03-31T22:00:53.434656312Z F0331 22:00:53.434658       1 controller.go:897] leaderelection lost',
  // Redacted (a password in a URL), and words redaction looks at but leaves (keys, token bucket).
  'E0331 22:00:53.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: Get "https://u:hunter2@10.0.0.1/x": context deadline exceeded',
  '2026-03-31T22:00:53.434656312Z stderr F E0331 22:00:53.434658       1 leaderelection.go:330] failed to renew lease ns/l: keys rotated, token bucket empty',
  // logfmt (logrus, slog), bare and in a journal; a later time= replaces the first.
  '2026-03-31T22:04:39.004440+00:00 k8s02 microk8s.daemon-k8s-dqlite[1842]: time="2026-03-31T22:04:39Z" level=error msg="error while range on /registry/leases/ /registry/leases/: context canceled"',
  'time="2026-03-31T22:04:39Z" level=warning msg="Slow SQL (started: 2026-03-31 22:04:36.1 +0000 UTC m=+1.2) (total time: 3.1s): SELECT 1"',
  'time=2026-03-31T22:04:39.123Z level=ERROR msg="failed to renew lease ns/l" err="context deadline exceeded"',
  'time="2026-03-31T22:04:39Z" level=error msg="error while range on /registry/pods/: context canceled" time="2026-03-31T22:04:39Z"',
  'time="2026-03-31T22:04:39Z" level=error msg="error while range on /registry/pods/: context canceled" time=x',
  // Colour codes (read without them): never kept, wherever they are.
  '2026-03-31T22:00:53.434656+00:00 k8s02 microk8s.daemon-kubelite[2290]: \u001b[0;1;31mE0331 22:00:53.434658    2290 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded\u001b[0m',
  'E0331 22:00:53.434658       1 leaderelection.go:330] \u001b[31merror retrieving resource lock ns/l\u001b[0m: context deadline exceeded',
  '2026-03-31T22:00:53.434656312Z stderr F {"level":"error","ts":"2026-03-31T22:04:37.027Z","msg":"\u001b[31mleader election lost\u001b[0m"}',
  // Longer than the lines kept: read afresh every time.
  `2026-03-31T22:00:53.434656312Z stderr F E0331 22:00:53.434658       1 leaderelection.go:330] error retrieving resource lock ns/l: ${'x'.repeat(3000)}`,
  // JSON messages, bare and wrapped; a time key nested, repeated or inside a string comes first.
  '{"level":"info","ts":"2026-03-31T22:04:37.027Z","msg":"failed to renew lease ci/awx-operator: context deadline exceeded"}',
  '{"level":"info","ts":1774994677.027,"msg":"failed to renew lease ci/awx-operator: context deadline exceeded"}',
  '2026-03-31T22:04:37.027000000Z stderr F {"level":"error","time":"2026-03-31T22:04:37.027Z","msg":"leader election lost"}',
  '2026-03-31T22:04:37.027000+00:00 k8s02 manager[7]: {"level":"error","ts":"2026-03-31T22:04:37.027Z","logger":"setup","msg":"problem running manager","error":"leader election lost"}',
  '{"level":"error","a":{"ts":"2026-03-31T22:00:00Z"},"ts":"2026-03-31T22:00:01Z","msg":"failed to renew lease ns/l: x"}',
  '{"level":"error","ts":"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x","ts":"2026-03-31T22:00:05Z"}',
  '{"level":"error","msg":"failed to renew lease ns/l: \\"ts\\":1","time":"2026-03-31T22:00:00Z"}',
  '{"level":"error","msg":"a \\"b","ts":"2026-03-31T22:00:00Z","error":"failed to renew lease ns/l: x"}',
  '{"ts":null,"time":"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x"}',
  // The same value twice: only the last one is the line's time.
  '{"ts":"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x","ts":"2026-03-31T22:00:00Z"}',
  '{"ts":"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x","ts" : "2026-03-31T22:00:00Z"}',
  '{"a":{"ts":"2026-03-31T22:00:00Z"},"ts" :"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x"}',
  '{"time":"2026-03-31T22:00:00Z","\\u0074s":"2026-03-31T22:00:00Z","msg":"failed to renew lease ns/l: x"}',
  ...LOG_FORMATS.flatMap((format) => format.samples.map((sample) => sample.line)),
  ...EVENT_RULES.flatMap((rule) => [...rule.samples.map((sample) => sample.line), ...rule.negatives]),
  ...sampleLogLines().filter(Boolean),
];

/**
 * A needle with digits that can lie over a klog clock: "E0331 22" as the leader-lost rule's only
 * needle, beside the classifier's other needles without a digit. The line `lineAt('0331 22:…')`
 * holds it and is an event; the same line at another hour does not, and is none. Imported after the
 * caller's `vi.resetModules()`, it uses the caller's module instances.
 */
export async function clockNeedleCase() {
  const { EVENT_NEEDLE_MASKS, EVENT_NEEDLES, EVENT_RULES } =
    await import('../../src/parse/classify/index.js');
  const { NeedleSet } = await import('../../src/parse/scan.js');
  const leaderLost = 1 << EVENT_RULES.findIndex((rule) => rule.kind === 'leader_lost');
  const others = EVENT_NEEDLES.map(
    (needle, index) => [needle, EVENT_NEEDLE_MASKS[index] as number] as const,
  ).filter(([needle, mask]) => !/[0-9]/.test(needle) && (mask & leaderLost) === 0);
  const needles = new NeedleSet(
    [...others.map(([needle]) => needle), 'E0331 22'],
    [...others.map(([, mask]) => mask), leaderLost],
  );
  const lineAt = (clock: string) =>
    `2026-03-31T22:00:53.434656312Z stderr F E${clock}       1 controller.go:1] leaderelection lost`;
  return { needles, lineAt };
}

/**
 * A repeat (logScan's `onRepeat`) written as a scan worker writes it: its time placed by `resolver`,
 * its NDJSON from the kept line's template and its clocks' bytes. Types only: callers may hand in
 * instances of modules loaded after a `vi.resetModules()`.
 */
export function writeRepeat(
  writer: NdjsonWriter,
  resolver: TimeResolver,
  file: string,
  hit: RepeatedEvent,
  line: number,
  bytes: Uint8Array,
  start: number,
): void {
  writer.repeated(file, line, hit, bytes, start, resolver.place(hit.time, hit.origin), resolver);
}
