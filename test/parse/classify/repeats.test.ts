import { describe, expect, it, vi } from 'vitest';
import {
  classifyLine,
  classifyLogLine,
  classifyMessage,
  EVENT_NEEDLE_SET,
  recallEvent,
} from '../../../src/parse/classify/index.js';
import { readLine, type LineReading } from '../../../src/parse/logs/index.js';
import type { NeedleSet } from '../../../src/parse/scan.js';
import { clockNeedleCase, REPEAT_CORPUS, variants } from '../_repeat-lines.js';

/** A classification without how it was found (`repeat`: the kept line it was answered from). */
function answerOf<T extends { repeat?: unknown } | null | undefined>(classified: T) {
  if (!classified) return classified;
  const { repeat: _repeat, ...rest } = classified;
  return rest;
}

/** What an event takes from a line's reading: all `recallEvent` gives of it (no fields). */
const eventReading = (reading: Omit<LineReading, 'fields'>) => ({
  time: reading.time,
  origin: reading.origin,
  body: reading.body,
  level: reading.level,
  source: reading.source,
  formats: reading.formats,
});

/** A classification as `recallLine` gives it. */
function asRecalled<T extends { reading: LineReading; event: unknown } | null | undefined>(classified: T) {
  return classified && { reading: eventReading(classified.reading), event: classified.event };
}

/**
 * The classification of a line the scanner did not search (`recallEvent` without a mask):
 * undefined when the line is not known, null when it is no event.
 */
function recallLine(line: string, needles: NeedleSet, recall = recallEvent) {
  const hit = recall(line, undefined, needles);
  if (!hit || !('answer' in hit)) return undefined;
  return (
    hit.answer && {
      reading: eventReading({ ...hit.kept, time: hit.time, origin: hit.origin }),
      event: hit.answer,
    }
  );
}

/** What classifyLine gives when nothing is remembered: every format and rule run on the line. */
function readAfresh(line: string) {
  const mask = EVENT_NEEDLE_SET.maskOf(line);
  const reading = readLine(line);
  const event = classifyMessage({ text: reading.body, fields: reading.fields ?? {} }, line, mask);
  return event ? { reading, event } : null;
}

describe('repeated klog lines', () => {
  it('read and classify as a first reading does, whatever changed besides the clock', () => {
    const lines = REPEAT_CORPUS.flatMap(variants);
    expect(lines.length).toBeGreaterThan(REPEAT_CORPUS.length * 2);
    // Three rounds: the first remembers, the later ones are answered from what was remembered,
    // with the line's mask (a searched line) and without (a line offered before its search).
    let known = 0;
    let recalled = 0;
    // Each line's variants together, five times: more than three in four found, so the table does
    // not pause.
    const groups = REPEAT_CORPUS.map(variants);
    for (const group of groups)
      for (let round = 0; round < 5; round++) {
        for (const line of group) {
          const fresh = readAfresh(line);
          const answer = recallLine(line, EVENT_NEEDLE_SET);
          if (answer !== undefined) {
            recalled++;
            expect(answer, line).toEqual(asRecalled(fresh));
          }
          const mask = EVENT_NEEDLE_SET.maskOf(line);
          const read = classifyLogLine(line, mask, EVENT_NEEDLE_SET);
          if (read.known) known++;
          expect(answerOf(read.classified), line).toEqual(fresh);
        }
      }
    // Not a test of nothing: many lines were answered from kept ones (the corpus is mostly other
    // formats, read afresh every time), with their mask and before their search.
    expect(known).toBeGreaterThan(lines.length / 4);
    expect(recalled).toBeGreaterThan(lines.length / 4);
  });

  it('tells apart lines whose needles differ only over a clock (needles with digits)', async () => {
    // A table of its own (the module's), not paused by the lines of other tests.
    vi.resetModules();
    const { classifyLine, classifyLogLine, recallEvent } =
      await import('../../../src/parse/classify/index.js');
    // A needle with digits can be found over one clock and not over another. Here "E0331 22" is the
    // only needle of the leader-lost rule, so the line with it is an event and the one without not.
    const { needles, lineAt: at } = await clockNeedleCase();
    const lines = [at('0331 22:00:53.434658'), at('0331 23:00:53.434658'), at('0331 22:00:54.434658')];
    expect(classifyLine(lines[0] as string, needles.maskOf(lines[0] as string))?.event.kind).toBe(
      'leader_lost',
    );
    expect(classifyLine(lines[1] as string, needles.maskOf(lines[1] as string))).toBeNull();
    for (let round = 0; round < 3; round++) {
      for (const line of lines) {
        const answer = recallLine(line, needles, recallEvent);
        const read = classifyLogLine(line, needles.maskOf(line), needles);
        if (answer !== undefined) expect(answer, line).toEqual(asRecalled(read.classified));
        if (round > 0) expect(read.known).toBe(true);
      }
    }
    // The second line's mask lacks the needle: it is never answered by the first line's reading.
    expect(recallLine(lines[1] as string, needles, recallEvent)).toBeNull();
    expect(recallLine(lines[2] as string, needles, recallEvent)?.event.kind).toBe('leader_lost');
  });

  it('tells apart lines whose wrappers differ where a rule reads them', () => {
    // kube-vip's `New leader` is an acquisition only on the leader's own host (the journal's host).
    const on = (host: string, second: number) =>
      `2026-03-31T22:01:0${second}+00:00 ${host} kube-vip[1]: I0331 22:01:0${second}.000000       1 leader.go:1] "New leader" leader="k8s02"`;
    const lines = [on('k8s02', 1), on('k8s03', 2), on('k8s02', 3), on('k8s03', 4)];
    const kinds = lines.map(
      (line) => classifyLine(line, EVENT_NEEDLE_SET.maskOf(line), EVENT_NEEDLE_SET)?.event.kind ?? null,
    );
    expect(kinds).toEqual(['leader_acquired', null, 'leader_acquired', null]);
    for (const line of lines) {
      expect(answerOf(classifyLine(line, EVENT_NEEDLE_SET.maskOf(line), EVENT_NEEDLE_SET))).toEqual(
        readAfresh(line),
      );
      const answer = recallLine(line, EVENT_NEEDLE_SET);
      if (answer !== undefined) expect(answer).toEqual(asRecalled(readAfresh(line)));
    }
  });

  it('gives every event its own attrs, and a klog line the kept fields, frozen', async () => {
    vi.resetModules();
    const { classifyLogLine, EVENT_NEEDLE_SET } = await import('../../../src/parse/classify/index.js');
    // No wrapper: the klog clock is the line's time. An apiserver trace: its attrs say how long.
    const line =
      'I0331 22:01:02.000000   12345 trace.go:236] Trace[1726931916]: "Update" url:/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler,verb:PUT (31-Mar-2026 22:00:57.095) (total time: 5004ms):';
    const mask = EVENT_NEEDLE_SET.maskOf(line);
    const first = classifyLogLine(line, mask, EVENT_NEEDLE_SET);
    const second = classifyLogLine(
      line.replace('22:01:02.000000 ', '22:01:03.000000 '),
      mask,
      EVENT_NEEDLE_SET,
    );
    expect(first.known).toBe(false);
    expect(second.known).toBe(true);
    expect(Object.isFrozen(second.classified?.reading.fields)).toBe(true);
    expect(Object.isFrozen(second.classified?.reading.formats)).toBe(true);
    expect(second.classified?.event.attrs).toEqual(first.classified?.event.attrs);
    expect(second.classified?.event.attrs).not.toBe(first.classified?.event.attrs);
    expect(second.classified?.reading.time?.second).toBe(3);
  });
});
