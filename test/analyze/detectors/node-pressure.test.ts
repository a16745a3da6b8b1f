import { describe, expect, it } from 'vitest';
import { nodePressure } from '../../../src/analyze/detectors/node-pressure/index.js';
import { caseData, detect, event } from '../_case.js';
import { findings, incident } from '../_incident.js';

describe('node-pressure', () => {
  it('reads MemoryPressure and PIDPressure events, which no node dump showed', () => {
    const data = caseData({
      events: [
        event(
          'node_pressure',
          '2024-01-12T10:00:00.000Z',
          'Node node-1 status is now: NodeHasInsufficientMemory',
          {
            subject: 'node-1',
            attrs: { signal: 'MemoryPressure' },
          },
        ),
      ],
    });
    const finding = detect(nodePressure, data)!;
    expect(finding.data).toEqual({ nodes: ['node-1'], signals: ['MemoryPressure'] });
    expect(finding.entities).toEqual([{ kind: 'node', id: 'node-1' }]);
  });

  it('leaves DiskPressure a node dump shows to disk-pressure, and healthy events alone', async () => {
    expect(findings(await incident('node-pressure'), [nodePressure]).size).toBe(0);
    expect(findings(await incident('node-pressure', 'noisy'), [nodePressure]).size).toBe(0);
  });
});
