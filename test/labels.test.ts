// The label table (pipelines/contract/labels.ts): every value in both languages, every value the contract accepts
// labelled, one colour per category, stable whatever order the values come in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { specOf } from '../pipelines/contract/columns.ts';
import { entities, type EntityName } from '../pipelines/contract/entities.ts';
import { categoryColor, CONTRACT_ENUMS, JAPANESE, label, LABELS, labelsForPages, OPEN_SETS, outcomeLabel, VALUE_SETS, type Label } from '../pipelines/contract/labels.ts';

const entries = (set: (typeof VALUE_SETS)[number]) => Object.entries(LABELS[set] as Record<string, Label>);
// Text a reader sees in English: Latin letters, digits and ordinary punctuation (the en dash of 25–29, a yen sign).
const ENGLISH = /^[\x20-\x7e–¥’]+$/;
// Values whose Japanese is a code or a symbol in any language (P10, N1's JLPT, 25–29 as digits) need no kana or kanji.
const SYMBOLIC_JA = /^(P\d+|[\d〜歳]+|％)$/;

describe('the label table', () => {
  it('gives every value of every set a non-empty Japanese and English label', () => {
    for (const set of VALUE_SETS) {
      expect(entries(set).length, set).toBeGreaterThan(0);
      for (const [value, l] of entries(set)) {
        const where = `${set}.${value}`;
        expect(l.en.trim(), where).not.toBe('');
        expect(l.ja.trim(), where).not.toBe('');
        expect(l.en, where).toMatch(ENGLISH);
        if (!SYMBOLIC_JA.test(l.ja)) expect(l.ja, where).toMatch(JAPANESE);
        expect(l.ja, `${where}: Japanese is the code itself`).not.toBe(value);
        if (l.description) {
          expect(l.description.en, where).toMatch(ENGLISH);
          expect(l.description.ja, where).toMatch(JAPANESE);
        }
      }
    }
  });

  it('labels every value every enum of the contract accepts, and says which enums it labels', () => {
    for (const [set, entity, column] of CONTRACT_ENUMS) {
      const values = specOf(entities[entity as EntityName].schema.shape[column as never]).values;
      expect(values, `${entity}.${column}`).toBeDefined();
      for (const v of values!) expect(Object.keys(LABELS[set]), `${entity}.${column} = ${v}`).toContain(v);
    }
    const enumColumns = Object.entries(entities).flatMap(([e, def]) =>
      Object.entries(def.schema.shape).filter(([, s]) => specOf(s).kind === 'enum').map(([c]) => `${e}.${c}`),
    );
    expect(CONTRACT_ENUMS.map(([, e, c]) => `${e}.${c}`).sort()).toEqual(enumColumns.sort());
  });

  it('explains every CIB status in both languages', () => {
    const statuses = ['training', 'grace', 'repaying', 'deferred', 'unreported', 'completed_cap', 'completed_payments', 'expired', 'withdrawn'];
    expect(Object.keys(LABELS.cib_status).sort()).toEqual([...statuses].sort());
    for (const [value, l] of entries('cib_status')) {
      expect(l.description?.en, value).toMatch(/\w.*\./);
      expect(l.description?.ja, value).toMatch(JAPANESE);
    }
  });

  it('names every column and entity of the input contract', () => {
    for (const [e, def] of Object.entries(entities)) {
      expect(Object.keys(LABELS.entity)).toContain(e);
      for (const c of Object.keys(def.schema.shape)) expect(Object.keys(LABELS.columns)).toContain(`${e}.${c}`);
    }
  });

  it('gives one term to each outcome kind and status wherever it appears', () => {
    // Issue 12: 就労継続 and 継続就労, "Income at least" and "Income level", 研修中 and 受講中 were all in use.
    const all = VALUE_SETS.flatMap((set) => entries(set).map(([, l]) => l.ja));
    expect(all.filter((ja) => ja.includes('就労継続'))).toEqual([]);
    expect(all.filter((ja) => ja.includes('研修中'))).toEqual([]);
    expect(LABELS.outcome_kind.sustained_employment.ja).toBe('継続就労');
    expect(LABELS.cib_status.training.ja).toBe(LABELS.enrolment_status.enrolled.ja);
    expect(LABELS.flow.in_training.ja).toBe(LABELS.cib_status.training.ja);
  });
});

describe('colours', () => {
  it('are valid CSS colours, distinct within each set', () => {
    for (const set of VALUE_SETS) {
      const colours = entries(set).flatMap(([, l]) => (l.color ? [l.color] : []));
      for (const c of colours) expect(c, set).toMatch(/^#[0-9A-F]{6}$/);
      expect(new Set(colours).size, set).toBe(colours.length);
    }
  });

  it('tell apart the statuses the issue saw drawn alike', () => {
    expect(LABELS.flow.completed.color).not.toBe(LABELS.flow.repaid.color);
    expect(LABELS.flow.withdrawn.color).not.toBe(LABELS.flow.unreported.color);
    expect(LABELS.cib_status.withdrawn.color).not.toBe(LABELS.cib_status.unreported.color);
  });

  it('give a value shown in several sets one colour', () => {
    for (const v of ['grace', 'repaying', 'deferred', 'unreported', 'expired', 'withdrawn'] as const) {
      expect(LABELS.flow[v].color, v).toBe(LABELS.cib_status[v].color);
    }
    expect(LABELS.stage.repaying.color).toBe(LABELS.cib_status.repaying.color);
    expect(LABELS.employment_type.direct_hire.color).toBe(LABELS.flow.direct_hire.color);
  });

  it('depend on the value, not on the order values come in (known and unknown tracks alike)', () => {
    const value = fc.oneof(fc.constantFrom(...Object.keys(LABELS.track)), fc.stringMatching(/^[a-z][a-z_]{0,20}$/));
    fc.assert(
      fc.property(fc.uniqueArray(value, { minLength: 1, maxLength: 12 }), (values) => {
        const forward = new Map(values.map((v) => [v, categoryColor('track', v)]));
        const backward = new Map([...values].reverse().map((v) => [v, categoryColor('track', v)]));
        for (const v of values) expect(backward.get(v)).toBe(forward.get(v));
        for (const v of values) expect(categoryColor('track', v)).toMatch(/^#[0-9A-F]{6}$/);
      }),
    );
    expect(categoryColor('track', 'web_development')).toBe(LABELS.track.web_development.color);
  });
});

describe('label', () => {
  it('humanises a track the table does not know, in Japanese output too, never giving the raw code', () => {
    expect(OPEN_SETS).toContain('track');
    expect(label('track', 'cyber_security_ops', 'en')).toBe('Cyber security ops');
    expect(label('track', 'cyber_security_ops', 'ja')).toBe('Cyber security ops');
    expect(label('track', 'web_development', 'ja')).toBe('Web開発');
    expect(label('outcome_kind', 'JOB_START', 'ja')).not.toBe('JOB_START');
    expect(label('track', null, 'ja')).toBe('');
  });

  it('names a rate-card line by what it pays for, never by its code', () => {
    expect(outcomeLabel('income_at_least', 250_000, 'ja')).toBe('収入基準達成（月収250,000円以上）');
    expect(outcomeLabel('job_start', 180, 'en')).toBe('Job start (within 180 days of completion)');
    expect(outcomeLabel('sustained_employment', 365, 'ja')).toBe('継続就労（365日）');
  });

  it('gives the pages everything the table holds, as plain JSON', () => {
    const pages = labelsForPages();
    expect(JSON.parse(JSON.stringify(pages))).toEqual(pages);
    for (const set of VALUE_SETS) {
      for (const [value, l] of entries(set)) {
        expect(pages.en[set][value]).toBe(l.en);
        expect(pages.ja[set][value]).toBe(l.ja);
        if (l.color) expect(pages.color[set]?.[value]).toBe(l.color);
        if (l.description) expect(pages.description.ja[set]?.[value]).toBe(l.description.ja);
      }
    }
  });
});
