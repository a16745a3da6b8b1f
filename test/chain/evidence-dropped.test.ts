import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeBundles } from '../../src/pipeline/analyze.js';
import type { AnalysisResult } from '../../src/types/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'howchain-chain-evidence-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the sample bundle with some evidence taken away. */
function copyWithout(name: string, drop: (dir: string) => void): string {
  const dir = join(scratch, name);
  cpSync('samples/bundle', dir, { recursive: true });
  drop(dir);
  return dir;
}

/** Removes calico-kube-controllers from `kubectl get deploy -A -o yaml` (one `- apiVersion:` item). */
function dropCalicoDeployment(dir: string): void {
  const path = join(dir, 'kubectl/deployments.yaml');
  const items = readFileSync(path, 'utf8').split(/(?=^- apiVersion: )/m);
  writeFileSync(path, items.filter((item) => !/^\s+name: calico-kube-controllers$/m.test(item)).join(''));
}

const dropIpam = (dir: string) => {
  dropCalicoDeployment(dir);
  rmSync(join(dir, 'kubectl/ipamhandles.txt'));
  rmSync(join(dir, 'logs/kube-system/calico-kube-controllers-77bd7c5b-x8xkq'), { recursive: true });
};

function lastStepOfMainLine(result: AnalysisResult): string {
  const steps = new Map(result.chain.steps.map((s) => [s.id, s]));
  let id = result.chain.roots[0]!;
  for (;;) {
    const next = steps.get(id)!.answers.find((a) => a.next)?.next;
    if (!next) return id;
    id = next;
  }
}

describe('the how’s chain follows the evidence', async () => {
  const full = await analyzeBundles(['samples/bundle'], { permutations: 99 });
  const noIpam = await analyzeBundles([copyWithout('no-ipam', dropIpam)], { permutations: 99 });
  const noIpamNoSnapshots = await analyzeBundles(
    [
      copyWithout('no-ipam-no-snapshots', (dir) => {
        dropIpam(dir);
        rmSync(join(dir, 'k8s02/backend-snapshots'), { recursive: true });
      }),
    ],
    { permutations: 99 },
  );

  it('reaches the disabled IPAM GC with the full bundle', () => {
    expect(lastStepOfMainLine(full)).toBe('gc-never-enabled');
  });

  it('stops at the IPAM handles without the Calico evidence, and names what to collect', () => {
    expect(noIpam.findings.map((f) => f.id)).not.toContain('ipam-gc-disabled');
    expect(lastStepOfMainLine(noIpam)).toBe('ipam-accumulated');
    const gap = noIpam.chain.gaps.find((g) => g.step === 'ipam-accumulated')!;
    expect(gap.missing).toContain('does not show how Calico’s IPAM garbage collection is configured');
    expect(gap.collectNext[0]).toContain('kubectl -n kube-system get deploy calico-kube-controllers -o yaml');
    expect(noIpam.chain.steps.some((s) => s.id === 'gc-never-enabled')).toBe(false);
  });

  it('stops one step earlier still without the snapshot copies', () => {
    expect(lastStepOfMainLine(noIpamNoSnapshots)).toBe('snapshots-large');
    const gap = noIpamNoSnapshots.chain.gaps.find((g) => g.step === 'snapshots-large')!;
    expect(gap.collectNext.join(' ')).toContain('snapshot-*');
    // The statistics do not depend on the copies: the listings and the inventory time the snapshots.
    expect(noIpamNoSnapshots.correlation.withinWindow).toBe(full.correlation.withinWindow);
  });
});
