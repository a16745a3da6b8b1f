import { eventRef } from '../evidence.js';
import { eventBounds, plural, windowOf, type Detector } from '../detector.js';

export const unknownFlag: Detector = {
  id: 'unknown-flag',
  title: 'Binary rejected a command-line flag',
  detect({ data, sha256 }) {
    const events = data.events.filter((e) => e.kind === 'unknown_flag');
    if (events.length === 0) return null;
    const flags = [
      ...new Set(events.flatMap((e) => /not defined: (-{1,2}[\w.-]+)/.exec(e.message)?.[1] ?? [])),
    ].sort();
    const where = [...new Set(events.map((e) => e.subject ?? e.file))].sort();
    return {
      claim:
        `A process exited at start-up because its binary does not define ${flags.length ? flags.join(', ') : 'a flag it was given'} ` +
        `(${plural(events.length, 'occurrence')}, in ${where.join(', ')}). The flag was added to its arguments without checking the binary supports it.`,
      evidence: events.slice(0, 3).map((e) => eventRef(e, sha256)),
      confidence: 'high',
      window: windowOf(events.map((e) => e.ts)),
      data: { windowEvidence: eventBounds(events, sha256), flags, where },
    };
  },
};
