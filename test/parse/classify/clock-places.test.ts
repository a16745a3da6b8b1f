import { describe, expect, it, vi } from 'vitest';
import { clockNeedleCase, REPEAT_CORPUS, variants } from '../_repeat-lines.js';

/** A fresh repeats table (its own module instance), and its ClockPlaces class. */
async function freshTable() {
  vi.resetModules();
  const classify = await import('../../../src/parse/classify/index.js');
  const { ClockPlaces } = await import('../../../src/parse/classify/_clock-places.js');
  return { ...classify, ClockPlaces };
}

/**
 * The line with one of the separators of its clocks (every other one of its first 70 characters)
 * changed, one at a time: as long as the line, with all its digits in place, but not the same line but for digits.
 */
function punctuated(line: string): string[] {
  const swaps: Record<string, string> = { '-': '/', ':': '.', '.': ',', T: ' ', '+': '-', Z: 'z', ' ': '_' };
  const out: string[] = [];
  for (let at = 0; at < Math.min(70, line.length); at += 2) {
    const swap = swaps[line.charAt(at)];
    if (swap) out.push(`${line.slice(0, at)}${swap}${line.slice(at + 1)}`);
  }
  return out;
}

describe('the line after a repeat, answered from its bytes (ClockPlaces)', () => {
  it('gives what the lookup by text gives, for every variant of every kept line, searched or not', async () => {
    // Two tables fed the same lines: one is asked with the lines' bytes (and may answer from the
    // kept line's clock places), the other with their text only (cut, looked up, clocks read) —
    // before a search (no mask) and after it (with the mask), as the scanner asks.
    const byText = await freshTable();
    const byBytes = await freshTable();
    const matches = vi.spyOn(byBytes.ClockPlaces.prototype, 'matches');
    let asked = 0;
    for (const group of REPEAT_CORPUS.map((line) => [...variants(line), ...punctuated(line)])) {
      // Each group in turn and in reverse, so that every variant follows every other.
      for (const order of [group, [...group].reverse(), group]) {
        for (const line of order) {
          // As the scanner asks: the latin1 view of the line's UTF-8 bytes.
          const bytes = Buffer.from(line, 'utf8');
          const text = bytes.toString('latin1');
          const expected = byText.recallEvent(text, undefined, byText.EVENT_NEEDLE_SET);
          const actual = byBytes.recallEvent(text, undefined, byBytes.EVENT_NEEDLE_SET, bytes, 0);
          expect(actual, line).toEqual(expected);
          expect(byBytes.recallLineKind(text, byBytes.EVENT_NEEDLE_SET, bytes, 0), line).toEqual(
            byText.recallLineKind(text, byText.EVENT_NEEDLE_SET),
          );
          asked++;
          // Then searched: asked with its mask (as a candidate is), and remembered when not known.
          const mask = byText.EVENT_NEEDLE_SET.maskOf(text);
          if (mask === 0) continue;
          const searched = byText.recallEvent(text, mask, byText.EVENT_NEEDLE_SET);
          const searchedBytes = byBytes.recallEvent(text, mask, byBytes.EVENT_NEEDLE_SET, bytes, 0);
          expect(searchedBytes, line).toEqual(searched);
          if (searched === null || !('answer' in searched)) {
            byText.classifyAfresh(text, mask, byText.EVENT_NEEDLE_SET, searched);
            byBytes.classifyAfresh(text, mask, byBytes.EVENT_NEEDLE_SET, searchedBytes as typeof searched);
          }
        }
      }
    }
    // Not a test of nothing: many lines were answered from their bytes, and many were not.
    const answered = matches.mock.results.filter((result) => result.value === true).length;
    expect(answered).toBeGreaterThan(asked / 50);
    expect(matches.mock.calls.length - answered).toBeGreaterThan(asked / 50);
  });

  it('is not used where a needle with a digit could be found over a clock', async () => {
    const table = await freshTable();
    // "E0331 22" lies over the first line's klog clock, not the second's (see repeats.test.ts).
    const { needles, lineAt: at } = await clockNeedleCase();
    const first = at('0331 22:00:53.434658');
    const second = at('0331 23:00:53.434658');
    for (let round = 0; round < 3; round++) table.classifyLogLine(first, needles.maskOf(first), needles);
    const hit = table.recallEvent(second, undefined, needles, Buffer.from(second, 'latin1'), 0);
    expect(hit !== null && 'answer' in hit).toBe(false);
  });

  it('reads the clocks a reader would refuse as refused: the line is then read afresh', async () => {
    const table = await freshTable();
    const needles = table.EVENT_NEEDLE_SET;
    const kept =
      '2026-03-31T22:00:53.434656+00:00 k8s02 microk8s.daemon-kubelite[2290]: E0331 22:00:53.434658    2290 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded';
    const ask = (line: string) => {
      const bytes = Buffer.from(line, 'latin1');
      return table.recallEvent(line, undefined, needles, bytes, 0);
    };
    // Kept, then found after itself: the next line is predicted to be it again.
    table.classifyLogLine(kept, needles.maskOf(kept), needles);
    table.classifyLogLine(kept, needles.maskOf(kept), needles);
    const same = (from: string, to: string) => kept.replace(from, to);
    expect(ask(same('22:00:53.434658', '22:00:54.434658'))).toMatchObject({
      time: { hour: 22, minute: 0, second: 53, ms: 434.656, offsetMinutes: 0 },
      answer: { kind: 'lease_lock_retrieve_error' },
    });
    // And the wrapper's time, as its reader gives it.
    expect(ask(same('2026-03-31T22:00:53.434656+00:00', '2026-12-31T23:59:59.999999+00:00'))).toMatchObject({
      time: {
        year: 2026,
        month: 12,
        day: 31,
        hour: 23,
        minute: 59,
        second: 59,
        ms: 999.999,
        offsetMinutes: 0,
      },
    });
    for (const refused of [
      same('2026-03-31', '2026-13-31'), // month 13 in the wrapper
      same('+00:00', '+24:00'), // no such zone
      same('.434656+', '.43465x+'), // a letter in the fraction
      same('E0331 22', 'E1331 22'), // month 13 in the klog header
      same('22:00:53.434658', '22:00:61.434658'), // second 61
    ]) {
      // After a line as long that is found (a line not known would have the next one not looked up
      // before its search at all: see the next test).
      expect(table.recallEvent(kept, needles.maskOf(kept), needles)).toMatchObject({ answer: {} });
      const hit = ask(refused);
      expect(hit !== null && 'answer' in hit, refused).toBe(false);
    }
  });

  it('does not look a line up before its search while a line as long has not been known since one was found', async () => {
    const table = await freshTable();
    const needles = table.EVENT_NEEDLE_SET;
    const kept =
      '2026-03-31T22:00:53.434656+00:00 k8s02 microk8s.daemon-kubelite[2290]: E0331 22:00:53.434658    2290 leaderelection.go:330] error retrieving resource lock ns/l: context deadline exceeded';
    const answered = (line: string, mask?: number) => {
      const hit = table.recallEvent(line, mask, needles, Buffer.from(line, 'latin1'), 0);
      return hit !== null && 'answer' in hit;
    };
    table.classifyLogLine(kept, needles.maskOf(kept), needles);
    const repeat = kept.replace('22:00:53.434658', '22:00:54.434658');
    expect(answered(repeat)).toBe(true);
    // A line as long that no kept line answers (a 13th month): the next one that long is not looked
    // up before its search, though it would be answered ...
    expect(answered(kept.replace('2026-03-31', '2026-13-31'))).toBe(false);
    expect(answered(repeat)).toBe(false);
    // ... until one that long is found after its search, as a candidate is asked with its mask.
    expect(answered(repeat, needles.maskOf(repeat))).toBe(true);
    expect(answered(repeat)).toBe(true);
    // A line of another length is looked up as before.
    const longer = kept.replace('ns/l', 'ns/ll');
    table.classifyLogLine(longer, needles.maskOf(longer), needles);
    expect(answered(longer.replace('22:00:53.434658', '22:00:55.434658'))).toBe(true);
  });
});
