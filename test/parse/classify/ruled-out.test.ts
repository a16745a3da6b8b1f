import { describe, expect, it } from 'vitest';
import {
  classifyLine,
  classifyLogLine,
  EVENT_NEEDLE_SET,
  EVENT_RULES,
  ruledOut,
} from '../../../src/parse/classify/index.js';

const JOURNAL = '2026-03-31T22:52:39.319916+00:00 k8s02 microk8s.daemon-kubelite[2290]: ';
const CRI = '2026-03-31T22:52:39.319916123Z stderr F ';

/** apiserver trace steps: `deadline exceeded` with no request to the API server. */
const TRACE_STEPS = [
  'Trace[323074979]:  ---"Txn call failed" err:context deadline exceeded 6866ms (22:52:39.319)]',
  'Trace[1836866282]: ["GuaranteedUpdate etcd3" audit-id:18f7782,key:/leases/kube-system/x 2071ms (22:53:14.713)',
  'Trace[1]:  ---"Txn call failed" err:context deadline exceeded 2070ms (22:53:14.713)]',
  'W0331 22:52:39.319916    2290 dispatcher.go:1] Failed calling webhook: i/o timeout',
  'E0331 22:52:39.319916    2290 controller.go:1] dial unix /var/snap/microk8s/kine.sock: connect: connection refused',
];

/**
 * Lines a rule takes once read, whose message the reader changed so that it holds what the line does
 * not: an escaped slash decoded, a quote a klog message is taken out of, a tab made a space, a JSON
 * or logfmt message joined to its error (bringing `: Succeeded.` together), a colour code dropped.
 * None holds a literal a rule requires, so only the characters that mark them keep them read.
 */
const CHANGED_BY_READING = [
  String.raw`{"level":"error","msg":"Get https:\u002f\u002f10.0.0.1\u002fapi\u002fv1\u002fpods: context deadline exceeded"}`,
  'E0331 22:52:39.319916    2290 reflector.go:1] "Get https://10.0.0.1/a"pi/v1/pods: context deadline exceeded',
  '2026-03-31T22:52:39.319Z\tERROR\tfilters/timeout.go:1\tunable to write a response: http: Handler\ttimeout (context deadline exceeded)',
  '{"level":"info","msg":"snap.microk8s.daemon-kubelite.service","error":"Succeeded.","cause":"context deadline exceeded"}',
  'time="2026-03-31T22:52:39Z" level=info msg="snap.microk8s.daemon-kubelite.service" error="Succeeded." cause="context deadline exceeded"',
  'E0331 22:52:39.319916    2290 reflector.go:1] Get https://10.0.0.1/a\u001b[0mpi/v1/pods: context deadline exceeded',
];

const requiring = EVENT_RULES.filter((rule) => rule.requires);
const requiringMask = EVENT_RULES.reduce(
  (mask, rule, index) => (rule.requires ? mask | (1 << index) : mask),
  0,
);
const lines = [
  ...EVENT_RULES.flatMap((rule) => [...rule.samples.map((sample) => sample.line), ...rule.negatives]),
  ...TRACE_STEPS,
  ...CHANGED_BY_READING,
];
const wrapped = lines.flatMap((line) => [line, JOURNAL + line, CRI + line]);

/** The line's kind and subject, read with the scanner's mask (ruled out when it can be) or without. */
function verdict(line: string, masked: boolean) {
  const classified = masked
    ? classifyLine(line, EVENT_NEEDLE_SET.maskOf(line), EVENT_NEEDLE_SET)
    : classifyLine(line);
  return classified && { kind: classified.event.kind, subject: classified.event.subject };
}

describe('a candidate ruled out before it is read', () => {
  it('has rules that require literals, each in every sample of its rule', () => {
    expect(requiring.map((rule) => rule.kind)).toEqual(['apiserver_timeout', 'apiserver_unreachable']);
    for (const rule of requiring)
      for (const { line } of rule.samples)
        expect(
          rule.requires?.some((literal) => line.includes(literal)),
          `${rule.kind}: ${line}`,
        ).toBe(true);
  });

  it('is an apiserver trace step or a refused datastore socket, in any wrapper', () => {
    for (const step of TRACE_STEPS)
      for (const line of [step, JOURNAL + step, CRI + step]) {
        expect(ruledOut(line, EVENT_NEEDLE_SET.maskOf(line)), line).toBe(true);
        expect(verdict(line, false), line).toBeNull();
      }
  });

  it('is not asked of a line the repeats table can keep: it is read, and its repeats are known', () => {
    const refused = TRACE_STEPS[4] as string;
    const repeat = refused.replace('22:52:39.319916', '22:52:40.000001');
    expect(ruledOut(refused, EVENT_NEEDLE_SET.maskOf(refused))).toBe(true);
    classifyLogLine(refused, EVENT_NEEDLE_SET.maskOf(refused), EVENT_NEEDLE_SET);
    expect(classifyLogLine(repeat, EVENT_NEEDLE_SET.maskOf(repeat), EVENT_NEEDLE_SET)).toEqual({
      classified: null,
      known: true,
    });
  });

  it('is never a line whose message the readers change', () => {
    for (const line of CHANGED_BY_READING) {
      const mask = EVENT_NEEDLE_SET.maskOf(line);
      expect(mask & ~requiringMask, line).toBe(0);
      expect(mask, line).not.toBe(0);
      expect(
        requiring.some((rule) => rule.requires?.some((literal) => line.includes(literal))),
        line,
      ).toBe(false);
      expect(verdict(line, false), line).not.toBeNull();
      expect(ruledOut(line, mask), line).toBe(false);
      expect(ruledOut(JOURNAL + line, EVENT_NEEDLE_SET.maskOf(JOURNAL + line)), line).toBe(false);
      expect(verdict(line, true), line).toEqual(verdict(line, false));
    }
  });

  it("is never a line with another rule's needle", () => {
    const step = TRACE_STEPS[0] as string;
    const withLease = `${step} failed to renew lease kube-system/x: context deadline exceeded`;
    expect(ruledOut(withLease, EVENT_NEEDLE_SET.maskOf(withLease))).toBe(false);
    expect(verdict(withLease, true)?.kind).toBe('lease_renew_failure');
  });

  it('classifies every sample, negative and trace step, wrapped or not, as reading it would', () => {
    for (const line of wrapped) expect(verdict(line, true), line).toEqual(verdict(line, false));
  });

  it('classifies lines with the literals cut or moved as reading them would', () => {
    const variants = requiring.flatMap((rule) =>
      rule.samples.flatMap(({ line }) =>
        (rule.requires as string[]).flatMap((literal) => {
          const at = line.indexOf(literal);
          if (at < 0) return [];
          const cut = at + 1;
          return [
            `${line.slice(0, cut)}"${line.slice(cut)}`,
            `${line.slice(0, cut)} ${line.slice(cut)}`,
            line.replace(literal, literal.toUpperCase()),
            `${line.slice(0, at)}${line.slice(at + literal.length)}`,
          ];
        }),
      ),
    );
    expect(variants.length).toBeGreaterThan(20);
    for (const line of variants.flatMap((variant) => [variant, JOURNAL + variant]))
      expect(verdict(line, true), line).toEqual(verdict(line, false));
  });
});
