import { describe, expect, it } from 'vitest';
import { KINE_PREFIX_SAMPLES, isKineBookkeeping, kinePrefix } from '../../src/store/snapshot/kine-prefix.js';

describe('kinePrefix', () => {
  it.each(KINE_PREFIX_SAMPLES)('%s → %s', (key, prefix) => {
    expect(kinePrefix(key)).toBe(prefix);
  });

  it('treats only kine bookkeeping rows as bookkeeping', () => {
    expect(isKineBookkeeping('compact_rev_key')).toBe(true);
    expect(isKineBookkeeping('gap-17')).toBe(true);
    expect(isKineBookkeeping('/registry/pods/default/gap-17')).toBe(false);
  });
});
