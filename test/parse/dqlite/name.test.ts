import { describe, expect, it } from 'vitest';
import { SNAPSHOT_NAME_SAMPLES, parseSnapshotName } from '../../../src/parse/dqlite/name.js';

describe('parseSnapshotName', () => {
  it.each(SNAPSHOT_NAME_SAMPLES)('%s', (name, expected) => {
    expect(parseSnapshotName(name)).toEqual(expected);
  });
});
