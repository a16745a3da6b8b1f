import type { EventRule } from './types.js';

/**
 * A binary was started with a flag it does not know: Go's `flag` package (`flag provided but not
 * defined: -lease-duration`) and spf13/pflag (`unknown flag: --lease-duration`). The usage text
 * printed after it lists flags without being an error.
 */
export const unknownFlag: EventRule = {
  kind: 'unknown_flag',
  description: 'flag provided but not defined (a binary rejected its arguments)',
  severity: 'error',
  needles: ['flag provided but not defined', 'unknown flag', 'unknown shorthand flag'],
  match({ text }) {
    const goFlag = /flag provided but not defined: (-{1,2}[\w.-]+)/.exec(text);
    if (goFlag) return { subject: null, attrs: { flag: goFlag[1] as string } };
    const pflag = /unknown (?:shorthand )?flag: '?(-{0,2}[\w.-]+)/.exec(text);
    if (pflag) return { subject: null, attrs: { flag: pflag[1] as string } };
    return null;
  },
  samples: [
    { line: 'flag provided but not defined: -lease-duration', subject: null },
    {
      line: '2026-04-02T05:00:01.123456789Z stderr F flag provided but not defined: -lease-duration',
      subject: null,
    },
    { line: 'Error: unknown flag: --leader-election-lease-duration', subject: null },
  ],
  negatives: [
    'Usage of /manager:',
    '  -lease-duration duration',
    '      --leader-elect-lease-duration duration   The duration that non-leader candidates will wait after observing a leadership renewal (default 15s)',
  ],
};
