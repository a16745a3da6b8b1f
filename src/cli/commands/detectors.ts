import type { DetectorEntry } from '../../pipeline/detectors.js';
import { printJson } from '../output.js';
import type { CommandBody } from './index.js';

function entryText(d: DetectorEntry): string {
  return [
    `${d.id} (${d.role}): ${d.title}`,
    `  reads: ${d.reads}`,
    ...d.thresholds.map((t) => `  ${t.name}: ${t.value}`),
    ...(d.explains.length ? [`  can explain: ${d.explains.join(', ')}`] : []),
  ].join('\n');
}

export const detectorsCommand: CommandBody<{ json: boolean }> = {
  builder: (yargs) =>
    yargs
      .example('$0 detectors', 'the catalogue, one block per detector')
      .example(
        '$0 detectors --json',
        'the same as JSON: [{id, title, role, reads, thresholds, explains}]',
      ) as never,
  async handler(args) {
    const { detectorCatalog } = await import('../../pipeline/detectors.js');
    const catalog = detectorCatalog();
    if (args.json) await printJson(catalog);
    else process.stdout.write(`${catalog.map(entryText).join('\n\n')}\n`);
  },
};
