import { describe, expect, it } from 'vitest';
import { chartData } from '../../../src/render/charts/data.js';
import { restartsPerController } from '../../../src/render/charts/restarts.js';
import { elements, emptyCase, pod, tagsBalance } from './_case.js';

describe('restarts chart', () => {
  it('draws a bar per controller, longest first, lengths proportional to restarts', () => {
    const data = emptyCase();
    data.facts.push(
      pod('awx', 'awx-operator-controller-manager-7df77bc496-qf9kl', 700),
      pod('kube-system', 'csi-nfs-controller-0', 350),
    );
    const svg = restartsPerController.render(chartData(data));
    const bars = elements(svg, 'rect', 'restarts');
    expect(bars).toHaveLength(2);
    expect(bars[0]!.width! / bars[1]!.width!).toBeCloseTo(2, 2);
    expect(bars[0]!.y! < bars[1]!.y!).toBe(true);
    expect(svg.indexOf('awx/awx-operator-controller-manager')).toBeLessThan(
      svg.indexOf('kube-system/csi-nfs-controller'),
    );
    expect(svg).toContain('1050 restarts in 2 controllers');
    expect(tagsBalance(svg)).toBe(true);
  });

  it('shows fifteen rows and sums the rest in a note', () => {
    const data = emptyCase();
    for (let i = 1; i <= 18; i++) data.facts.push(pod('ns', `worker${i}-0`, i));
    const svg = restartsPerController.render(chartData(data));
    expect(elements(svg, 'rect', 'restarts')).toHaveLength(15);
    expect(svg).toContain('and 3 more controllers with 6 restarts');
  });

  it('says so when nothing restarted', () => {
    const data = emptyCase();
    data.facts.push(pod('ns', 'quiet-0', 0));
    expect(restartsPerController.render(chartData(data))).toContain('No pod in the evidence has restarted.');
  });
});
