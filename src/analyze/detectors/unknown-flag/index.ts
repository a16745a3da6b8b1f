import { eventRef } from '../../../model/index.js';
import { entitiesOf, sameEntity } from '../../links.js';
import { eventBounds, plural, presentBefore, ran, windowOf, type Detector } from '../../detector.js';

export interface UnknownFlagData {
  flags: string[];
  where: string[];
}

export const unknownFlag: Detector<UnknownFlagData> = {
  id: 'unknown-flag',
  title: 'Binary rejected a command-line flag',
  role: 'cause',
  reads: 'Go flag package errors (`flag provided but not defined: -x`, `unknown flag: --x`)',
  thresholds: [{ name: 'occurrence', value: 'any' }],
  detect({ model, sha256 }) {
    const events = model.events.ofKind('unknown_flag');
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
      entities: entitiesOf(events, ['pod']),
      windowEvidence: eventBounds(events, sha256),
      data: { flags, where },
    };
  },
  question: () => 'How did a flag the binary does not know get into its arguments?',
  unexplained: () => 'The evidence shows the rejected flag, not who added it or when. TODO(author).',
  collectNext: [
    '`kubectl exec <pod> -- <binary> --help` to list the flags the binary supports',
    'The change that added the flag (GitOps history, `kubectl rollout history`)',
  ],
  links: [
    {
      // A control plane that cannot start with its flags refuses connections until it is fixed.
      explains: 'apiserver-refused',
      tests: (cause, effect) => ran(presentBefore(cause, effect)),
    },
    {
      explains: 'crashloop',
      tests: (cause, effect, { data }) =>
        ran(sameEntity(cause, effect, ['pod'], data), presentBefore(cause, effect)),
    },
  ],
  actions: () => [
    {
      action: 'Check a binary supports a flag (`<binary> --help`) before patching it onto a Deployment.',
      priority: 'Medium',
    },
  ],
};
