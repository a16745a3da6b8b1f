/**
 * Two event lists are equal when their events are: an EventTable's columns and the function that
 * reads its messages differ between two reads of the same case, and are not what a test compares.
 */
import { expect } from 'vitest';
import { EventTable } from '../src/store/event-table.js';

expect.addEqualityTesters([
  function eventListsEqual(a: unknown, b: unknown, customTesters) {
    if (!(a instanceof EventTable) && !(b instanceof EventTable)) return undefined;
    if (!(a instanceof EventTable) || !(b instanceof EventTable)) return false;
    return this.equals([...a], [...b], customTesters);
  },
]);
