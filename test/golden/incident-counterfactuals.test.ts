import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundles } from '../../src/pipeline/analyze.js';
import { renderPir } from '../../src/render/pir.js';
import type { AnalysisResult } from '../../src/types/index.js';
import { scratch, tarOf } from '../bundle/_bundle.js';
import { shiftLine } from '../chain/_counterfactuals.js';

/**
 * Counterfactuals next to every golden PIR of the incident library (test/golden/incidents.test.ts
 * checks the untouched bundles): the same evidence with one thing changed, so a title that names a
 * cause is shown to follow from the evidence and not from the shape of the sample.
 *
 * - the same evidence twice (the folder and its .tar.gz): same title, same counts, the copy set aside;
 * - unrelated noise added (a healthy workload's lines across the incident's window): same title and
 *   counts, no new event;
 * - the cause's evidence removed: the cause is no longer claimed;
 * - the cause's lines moved two hours after the symptom, where its link rests on time: the link fails
 *   its time test and the cause is no longer claimed (it may be reported as co-occurring).
 */
const LIBRARY = join(import.meta.dirname, '../../samples/incidents');
const options = { permutations: 99 };
const TWO_HOURS = 2 * 3600;

interface Cause {
  /** The finding the title names as the cause. */
  id: string;
  /** Where its evidence is: a file, and within it the lines (all when no pattern). */
  evidence: { file: string; lines?: RegExp }[];
  /** The link to the cause rests on time order: moving its lines after the symptom must break it. */
  timed: boolean;
}

const causes: Record<string, Cause> = {
  'datastore-slow-disk': {
    id: 'slow-disk',
    evidence: [
      { file: 'node-1/dd-dsync.txt' },
      { file: 'logs/kube-system/etcd-node-1/etcd.log', lines: /slow fdatasync|heartbeat on time/ },
    ],
    timed: true,
  },
  // Linked by the datastore component alone: a listing sizes files at one moment, it does not date growth.
  'datastore-growth': { id: 'datastore-growth', evidence: [{ file: 'node-1/db-ls.txt' }], timed: false },
  'disk-full': {
    id: 'disk-full',
    evidence: [
      { file: 'snap.microk8s.daemon-k8s-dqlite/journal.log', lines: /disk is full|no space left/i },
      { file: 'snap.microk8s.daemon-containerd/journal.log', lines: /no space left/i },
      { file: 'sys/disk_usage' },
      // Emptied by a write on the full disk.
      { file: 'certs/kubelet.crt' },
    ],
    timed: true,
  },
  'node-pressure': {
    id: 'disk-pressure',
    evidence: [{ file: 'k8s/node.json' }],
    timed: true,
  },
  'cert-expired': {
    id: 'expired-certificate',
    evidence: [
      { file: 'certs/kubelet-client-current.pem' },
      { file: 'certs/ca.crt' },
      { file: 'snap.microk8s.daemon-kubelite/journal.log', lines: /x509|certificate/i },
    ],
    // The certificate's own notAfter dates the expiry, whenever the errors were logged.
    timed: false,
  },
  'oom-kill': {
    id: 'oom-kill',
    evidence: [
      { file: 'node-1/dmesg.log' },
      { file: 'k8s/pods.json', lines: /OOMKilled/ },
      { file: 'snap.microk8s.daemon-kubelite/journal.log', lines: /OOM|out of memory/i },
    ],
    // The pod's own termination record names it, whenever the kernel lines were logged.
    timed: false,
  },
  'image-pull-sandbox': {
    id: 'image-pull-failure',
    evidence: [
      { file: 'snap.microk8s.daemon-kubelite/journal.log', lines: /pull|ErrImage|ImagePullBackOff/i },
    ],
    // Linked by the pods the pulls were for; the pod table carries no time.
    timed: false,
  },
  'dns-loop': {
    id: 'dns-failure',
    evidence: [{ file: 'logs/kube-system/coredns-864597b5fd-9nq2d/coredns.log', lines: /loop|FATAL/ }],
    timed: false,
  },
  'apiserver-unreachable': {
    id: 'apiserver-refused',
    evidence: [
      { file: 'snap.microk8s.daemon-kubelite/journal.log', lines: /connection refused|Unable to register/ },
      { file: 'k8s/get-all', lines: /refused|Unable to connect/ },
    ],
    timed: true,
  },
  'unknown-flag': {
    id: 'unknown-flag',
    evidence: [
      {
        file: 'snap.microk8s.daemon-kubelite/journal.log',
        lines: /flag provided but not defined|unknown flag/,
      },
    ],
    timed: true,
  },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** shiftLine's formats, and the `Jan 12 10:05` of `ls -l` listings (year-less, as ls prints it). */
function shiftStamps(line: string, seconds: number): string {
  return shiftLine(line, seconds).replace(
    /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d\d):(\d\d)\b/g,
    (_m, month: string, day: string, hour: string, minute: string) => {
      const at = new Date(Date.UTC(2024, MONTHS.indexOf(month), +day, +hour, +minute) + seconds * 1000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${MONTHS[at.getUTCMonth()]} ${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
    },
  );
}

const found = (result: AnalysisResult) =>
  result.findings.filter((f) => f.status === 'found').map((f) => f.id);
const titleOf = (result: AnalysisResult) =>
  renderPir(result).split('\n')[0]!.replace('# Post Incident Review (draft): ', '');

const root = scratch('howchain-incident-cf-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of a class's bundle with `change` applied to each of the cause's files. */
function variant(
  id: string,
  name: string,
  change: (text: string, lines: RegExp | undefined) => string | null,
): string {
  const dir = join(root, id, name);
  cpSync(join(LIBRARY, id, 'bundle'), dir, { recursive: true });
  for (const { file, lines } of causes[id]!.evidence) {
    const path = join(dir, file);
    const changed = change(readFileSync(path, 'utf8'), lines);
    if (changed === null) rmSync(path);
    else writeFileSync(path, changed);
  }
  return dir;
}

/** Lines a healthy workload writes all the time: none of them is an event of any kind. */
function noise(from: string, lines: number): string {
  const start = Date.parse(from) - 60_000;
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const at = new Date(start + i * 7_000).toISOString();
    const klog = at.slice(5, 7) + at.slice(8, 10) + ' ' + at.slice(11, 23) + '000';
    out.push(
      i % 3 === 0
        ? `${at} stderr F I${klog}       1 reflector.go:351] Caches populated for *v1.ConfigMap from pkg/mod/k8s.io/client-go/tools/cache/reflector.go:229`
        : i % 3 === 1
          ? `${at} stdout F 10.1.0.${i % 250} - - "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"`
          : `${at} stdout F {"level":"info","ts":"${at}","msg":"reconciled","controller":"shop-frontend","duration":"${i % 90}ms"}`,
    );
  }
  return `${out.join('\n')}\n`;
}

for (const [id, cause] of Object.entries(causes)) {
  describe(`incident ${id}, counterfactuals`, async () => {
    const bundle = join(LIBRARY, id, 'bundle');
    const original = await analyzeBundles([bundle], options);
    const title = titleOf(original);

    it('the golden names this cause (the premise of the variants below)', () => {
      expect(original.chain.conclusion.cause).toBe(cause.id);
    });

    it('the same evidence twice (folder and .tar.gz): the same title and counts, the copy set aside', async () => {
      mkdirSync(join(root, id), { recursive: true });
      const archive = tarOf(bundle, join(root, id, `${id}.tar.gz`));
      const twice = await analyzeBundles([bundle, archive], options);
      expect(titleOf(twice)).toBe(title);
      expect(twice.chain.conclusion.path).toEqual(original.chain.conclusion.path);
      expect(twice.eventCounts).toEqual(original.eventCounts);
      // Empty files carry nothing to count twice and are not set aside.
      expect(twice.setAside).toHaveLength(original.manifest.filter((m) => m.size > 0).length);
    });

    it('unrelated noise added across the window: the same title, no new event', async () => {
      const dir = variant(id, 'noise', (text) => text);
      const first = original.timeline[0]?.ts ?? '2024-01-12T10:00:00.000Z';
      const log = join(dir, 'logs/shop/shop-frontend-7d9c5b8f4-x2x9q/app.log');
      mkdirSync(dirname(log), { recursive: true });
      writeFileSync(log, noise(first, 300));
      const noisy = await analyzeBundles([dir], options);
      expect(titleOf(noisy)).toBe(title);
      expect(noisy.eventCounts).toEqual(original.eventCounts);
    });

    it("the cause's evidence removed: the cause is no longer claimed", async () => {
      const dir = variant(id, 'removed', (text, lines) =>
        lines
          ? text
              .split('\n')
              .filter((line) => !lines.test(line))
              .join('\n')
          : null,
      );
      const without = await analyzeBundles([dir], options);
      expect(without.chain.conclusion.cause).not.toBe(cause.id);
      expect(found(without)).not.toContain(cause.id);
      expect(titleOf(without)).not.toContain(original.findings.find((f) => f.id === cause.id)!.title);
    });

    if (cause.timed)
      it("the cause's lines moved two hours after the symptom: the link fails its time test", async () => {
        const dir = variant(id, 'later', (text, lines) =>
          text
            .split('\n')
            .map((line) => (!lines || lines.test(line) ? shiftStamps(line, TWO_HOURS) : line))
            .join('\n'),
        );
        const later = await analyzeBundles([dir], options);
        expect(later.chain.conclusion.cause).not.toBe(cause.id);
        expect(titleOf(later)).not.toContain(original.findings.find((f) => f.id === cause.id)!.title);
        // Where it is still seen beside the symptom, it is said to co-occur, not to cause.
        const links = later.chain.steps.flatMap((step) =>
          step.answers.filter((a) => a.findings.includes(cause.id)),
        );
        for (const link of links) expect(link.kind).not.toBe('answer');
      });
  });
}
