// Continuous employment: spells joined into runs (core.employment_runs).
import { dayNumber, isoDate } from './dates.ts';
import type { Run, Spell } from './types.ts';

/** Longest gap, in days from one spell's ended_on to the next's started_on, that still joins them. */
export const MAX_GAP_DAYS = 14;

/**
 * Joins spells into runs. Spells are taken in order of started_on; a spell joins the current run
 * when its started_on is at most 14 days after the latest end so far (overlapping and nested
 * spells join; a nested spell never shortens the run). An open spell ends on the as-of date.
 */
export function joinSpells(spells: readonly Spell[], asOf: string): Run[] {
  const sorted = [...spells].sort((a, b) => dayNumber(a.startedOn) - dayNumber(b.startedOn));
  const runs: Array<{ start: number; end: number; open: boolean }> = [];
  for (const s of sorted) {
    const start = dayNumber(s.startedOn);
    const end = s.endedOn === null ? dayNumber(asOf) : dayNumber(s.endedOn);
    const last = runs.at(-1);
    if (last && start - last.end <= MAX_GAP_DAYS) {
      last.end = Math.max(last.end, end);
      last.open ||= s.endedOn === null;
    } else {
      runs.push({ start, end, open: s.endedOn === null });
    }
  }
  return runs.map((r) => ({ startedOn: isoDate(r.start), endsOn: isoDate(r.end), isOpen: r.open }));
}
