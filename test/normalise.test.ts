// The SQL normalisers (pipelines/contract/normalise.sql) against a real DuckDB: worked examples of
// what Japanese sources contain, and round-trip properties over generated values.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { listValue } from '@duckdb/node-api';
import type { ColumnSpec } from '../pipelines/contract/columns.ts';
import { entityNames, getEntity } from '../pipelines/contract/entities.ts';
import { storedColumns } from '../pipelines/contract/warehouse-columns.ts';
import { queryRows } from '../pipelines/db/connection.ts';
import { normaliserConnection, sqlValue } from './helpers.ts';

let conn: DuckDBConnection;
let close: () => void;
beforeAll(async () => ({ conn, close } = await normaliserConnection()));
afterAll(() => close());

const cases = (fn: string, table: Array<[string, string | null]>) =>
  it.each(table)(`${fn}(%j) = %j`, async (input, expected) => {
    expect(await sqlValue(conn, `${fn}($v)`, input)).toBe(expected);
  });

describe('fold_width', () => {
  cases('fold_width', [
    ['ＡＢＣ１２３', 'ABC123'],
    ['  x\t', 'x'],
    ['　', null],
    ['', null],
    ['－１２', '-12'],
    ['NA', null],
    ['#N/A', null],
    [' - ', null],
    // Unicode spaces fold like the ideographic space; zero-width ones (and a BOM inside a value) are dropped
    ['\u00a0WJ-1\u3000', 'WJ-1'],
    ['\u2003WJ-1\u202f', 'WJ-1'],
    ['\u200bWJ-1\ufeff', 'WJ-1'],
    ['WJ\u200b-1', 'WJ-1'],
    ['山田\u00a0花子', '山田 花子'],
    ['\u2000\u2001\u2002\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f', null],
    // the other Unicode white space, and invisible format characters pasted from web pages or chat (dropped)
    ['\u2028WJ-1\u2029', 'WJ-1'],
    ['WJ\u1680-1', 'WJ -1'],
    ['\u200dWJ-1\u2060', 'WJ-1'],
    ['W\u200cJ-\u00ad1', 'WJ-1'],
  ]);
});

describe('parse_date', () => {
  cases('parse_date', [
    ['2026-04-01', '2026-04-01'],
    ['2026/4/1', '2026-04-01'],
    ['2026.04.01', '2026-04-01'],
    ['２０２６／０４／０１', '2026-04-01'],
    ['20260401', '2026-04-01'],
    ['2026年4月1日', '2026-04-01'],
    ['令和8年4月1日', '2026-04-01'],
    ['R8.4.1', '2026-04-01'],
    ['r8/4/1', '2026-04-01'],
    ['令和元年5月1日', '2019-05-01'],
    ['平成31年4月30日', '2019-04-30'],
    ['H31.4.30', '2019-04-30'],
    ['昭和64年1月7日', '1989-01-07'],
    ['2026-04-01T09:30:00Z', '2026-04-01'],
    ['2026-04-01 09:30:00', '2026-04-01'],
    ['2026/4/1 0:00', '2026-04-01'], // as Excel writes a date-time to CSV
    // Excel serial 45383 = 2024-04-01 (45383 days after 1899-12-30)
    ['45383', '2024-04-01'],
    ['45383.5', '2024-04-01'],
    // not dates
    ['2026-02-30', null],
    ['31/31/2025', null],
    ['令和1年4月30日', null], // Reiwa began on 2019-05-01
    ['平成32年1月1日', null], // Heisei ended on 2019-04-30
    ['1234', null],
    ['hello', null],
    ['', null],
  ]);
});

describe('parse_month', () => {
  cases('parse_month', [
    ['2026-04', '2026-04-01'],
    ['2026/4', '2026-04-01'],
    ['202604', '2026-04-01'],
    ['2026年4月', '2026-04-01'],
    ['令和8年4月', '2026-04-01'],
    ['R8.4', '2026-04-01'],
    ['平成元年1月', '1989-01-01'], // Heisei began 1989-01-08, inside January
    ['2026-04-15', '2026-04-01'],
    ['2026-13', null],
    ['April', null],
  ]);
});

describe('parse_yen', () => {
  cases('parse_yen', [
    ['1234000', '1234000'],
    ['1,234,000', '1234000'],
    ['¥1,234,000', '1234000'],
    ['￥１，２３４，０００', '1234000'],
    ['1,234,000円', '1234000'],
    ['JPY 1000', '1000'],
    ['123.4万円', '1234000'],
    ['25万', '250000'],
    ['-500', '-500'],
    ['△1,000', '-1000'],
    ['▲1000', '-1000'],
    ['(1,000)', '-1000'],
    ['250000.0', '250000'],
    ['12.5', null],
    ['1.23456万', null], // 12345.6 yen is not whole
    ['abc', null],
    ['¥-1,000', '-1000'],
    ['250000.00', '250000'],
    // typos and foreign separators are refused, not guessed
    ['1,2345', null],
    ['1,23,45', null],
    ['1 2 3', null],
    ['350.000', null],
  ]);
});

describe('parse_yen of a Shift_JIS file (cp932_yen_sign first: byte 0x5C is the yen sign)', () => {
  it.each([
    ['\\250,000', '250000'],
    ['\\1,234,000', '1234000'],
    ['－\\1,000', '-1000'],
    ['△\\1,000', '-1000'],
    ['(\\1,000)', '-1000'],
    ['\\25万', '250000'],
    ['\\1,2345', null],
  ] as Array<[string, string | null]>)('%j = %j', async (input, expected) => {
    expect(await sqlValue(conn, 'parse_yen(cp932_yen_sign($v))', input)).toBe(expected);
  });
  // Without it a backslash is a backslash: what a UTF-8 file means by \250,000 is not known, so it is refused.
  cases('parse_yen', [['\\250,000', null]]);
});

describe('other kinds', () => {
  cases('parse_rate', [['10%', '0.1'], ['0.1', '0.1'], ['１０％', '0.1'], ['.08', '0.08'], ['ten', null]]);
  cases('parse_bool', [['true', 'true'], ['Yes', 'true'], ['はい', 'true'], ['○', 'true'], ['0', 'false'], ['いいえ', 'false'], ['×', 'false'], ['maybe', null]]);
  cases('parse_int', [['1990', '1990'], ['１９９０', '1990'], ['1,990', '1990'], ['12.0', '12'], ['12.5', null], ['19,90', null], ['1.000', null]]);
  cases('parse_country', [
    ['MMR', 'MMR'], ['mmr', 'MMR'], ['MM', 'MMR'], ['Myanmar', 'MMR'], ['Burma', 'MMR'], ['ミャンマー', 'MMR'], ['アフガニスタン', 'AFG'],
    ['Stateless', 'XXA'], ['無国籍', 'XXA'], ['XXA', 'XXA'],
    // alpha-2 only in capitals, and "not available" markers are blank, not Namibia or Norway
    ['mm', null], ['No', null], ['NA', null], ['n/a', null], ['Atlantis', null],
  ]);
  cases('parse_ref', [[' ＷＪ－０００１ ', 'WJ-0001'], ['\u00a0WJ-0001\u3000', 'WJ-0001'], ['x'.repeat(65), null]]);
  // 全国地方公共団体コード: Shinjuku 13104 → check digit (11 − (1·6+3·5+1·4+0·3+4·2) mod 11) mod 10 = (11 − 33 mod 11) mod 10 = 1
  cases('parse_municipality_digits', [['13104', '131041'], ['131041', '131041'], ['１３１０４１', '131041'], ['1310', null]]);
  cases('municipality_check_digit', [
    ['13104', '1'], // Shinjuku: 33 mod 11 = 0 → 11 → 1
    ['01100', '2'], // Sapporo: 0+5+4+0+0 = 9 → 11 − 9 = 2
    ['14100', '3'], // Yokohama: 6+20+4 = 30, 30 mod 11 = 8 → 3
    ['27100', '4'], // Osaka: 12+35+4 = 51, 51 mod 11 = 7 → 4
  ]);
});

describe('round trips', () => {
  // whole days, midnight UTC
  const daysBetween = (from: string, to: string) =>
    fc.integer({ min: Date.parse(from) / 86_400_000, max: Date.parse(to) / 86_400_000 }).map((n) => new Date(n * 86_400_000));
  const dates = daysBetween('1930-01-01', '2099-12-31');
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const toWide = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

  it('every written form of a date reads back as that date', async () => {
    await fc.assert(
      fc.asyncProperty(dates, fc.constantFrom('iso', 'slash', 'compact', 'kanji', 'wide', 'serial'), async (d, form) => {
        const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
        const text = {
          iso: iso(d),
          slash: `${y}/${m}/${day}`,
          compact: iso(d).replaceAll('-', ''),
          kanji: `${y}年${m}月${day}日`,
          wide: toWide(`${y}/${m}/${day}`),
          serial: String((d.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000),
        }[form];
        expect(await sqlValue(conn, 'parse_date($v)', text)).toBe(iso(d));
      }),
      { numRuns: 300 },
    );
  });

  it('Reiwa dates read back as the Gregorian date', async () => {
    const reiwa = daysBetween('2019-05-01', '2060-12-31');
    await fc.assert(
      fc.asyncProperty(reiwa, fc.boolean(), async (d, short) => {
        const [y, m, day] = [d.getUTCFullYear() - 2018, d.getUTCMonth() + 1, d.getUTCDate()];
        const text = short ? `R${y}.${m}.${day}` : `令和${y === 1 ? '元' : y}年${m}月${day}日`;
        expect(await sqlValue(conn, 'parse_date($v)', text)).toBe(iso(d));
      }),
      { numRuns: 200 },
    );
  });

  it('every written form of a yen amount reads back as that amount', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -99_999_999, max: 999_999_999 }), fc.constantFrom('plain', 'commas', 'yen', 'en', 'wide', 'triangle'), async (n, form) => {
        const commas = Math.abs(n).toLocaleString('en-US');
        const sign = n < 0 ? '-' : '';
        const text = {
          plain: String(n),
          commas: `${sign}${commas}`,
          yen: `${sign}¥${commas}`,
          en: `${sign}${commas}円`,
          wide: toWide(`${sign}${commas}`).replaceAll(',', '，').replace('-', '－'),
          triangle: n < 0 ? `△${commas}` : commas,
        }[form];
        expect(await sqlValue(conn, 'parse_yen($v)', text)).toBe(String(n));
      }),
      { numRuns: 300 },
    );
  });

  it('a 5-digit municipality code gains the check digit that its 6-digit form verifies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1000, max: 47999 }), async (n) => {
        const five = String(n).padStart(5, '0');
        const six = (await sqlValue(conn, 'parse_municipality_digits($v)', five)) as string;
        expect(six.slice(0, 5)).toBe(five);
        expect(await sqlValue(conn, 'right($v, 1)::INTEGER = municipality_check_digit($v)', six)).toBe('true');
      }),
      { numRuns: 100 },
    );
  });
});

describe('canonical fast path', () => {
  // The loader reads a value in canonical form with DuckDB's own casts and sends every other value through the
  // parser (columns.ts, `canonical`). The shortcut must never change what a value reads as.
  // One column of each kind and parser (every enum has its own values).
  const kinds = new Map<string, { column: string; spec: ColumnSpec }>();
  for (const entity of entityNames) {
    for (const c of storedColumns(getEntity(entity))) {
      const key = `${c.spec.kind} ${c.spec.parse('x')}`;
      if (c.spec.canonical && c.spec.kind !== 'participant_ref' && !kinds.has(key)) kinds.set(key, { column: `${entity}.${c.contractName}`, spec: c.spec });
    }
  }
  const tricky = [
    '12', '012', '+12', ' 12', '12 ', '-0', '-12', '1_000', '1e3', '12.0', '12.5', '0x10', '１２', '9223372036854775807', '9223372036854775808',
    '2026-04-01', '2026-4-01', '2026/04/01', '0026-04-01', '2026-02-30', '-026-04-01', '2026-04-01 (BC)', '10000-01-01', '2026-04-1 ', ' 2026-4-1',
    '2026 04 01', '2026.04.01', '2026-04', '2026-4', '2026/04', '0026-04', '2026-13', '-026-04', '202604', '2026-04-01T10:00',
    'true', 'false', 'TRUE', 'True', ' true', 'yes', 't', '1', '0', '0.1', '.1', '0.10', '10%', 'NA', '', '-',
    'MMR', 'mmr', ' MMR', 'MM', 'Myanmar', 'XXA', 'AAA', 'ＭＭＲ',
    '131041', '13104', '１３１０４１', 'WJ-1', ' WJ-1', 'payslip', 'Payslip', 'full_time', 'full time', 'N1', 'n1', 'none',
    '\u00a012', '12\u3000', '\u200b2026-04-01', '2026-04\ufeff', '\u2003true', 'MMR\u202f', '\u00a0131041', 'payslip\u205f', '\u200a0.1',
    '\u200d12', 'true\u2060', '\u2028MMR', 'pay\u00adslip',
  ];
  const piece = fc.constantFrom('0', '1', '2', '9', '12', '2026', '-', '/', '.', '+', ' ', 'e', '_', '年', '１', 'T', ':', '%', ',', 'true', 'N', '\u00a0', '\u3000', '\u2009', '\u200b', '\ufeff');
  const texts = fc.array(fc.array(piece, { maxLength: 8 }).map((p) => p.join('')), { minLength: 50, maxLength: 50 });

  for (const { column, spec } of kinds.values()) {
    const { value, exact } = spec.canonical!;
    const r = 'r';
    const fast = `CASE WHEN coalesce(${exact(value(r), r)}, false) THEN ${value(r)} ELSE ${spec.parse('fold_width(r)')} END`;
    const disagreeing = (list: string[]) =>
      queryRows(conn, `SELECT r FROM (SELECT unnest($list::VARCHAR[]) AS r) WHERE (${fast}) IS DISTINCT FROM (${spec.parse('fold_width(r)')})`, { list: listValue(list) });

    it(`agrees with the parser for ${spec.kind} values (${column})`, async () => {
      expect(await disagreeing(tricky)).toEqual([]);
      await fc.assert(
        fc.asyncProperty(texts, async (list) => {
          expect(await disagreeing(list)).toEqual([]);
        }),
        { numRuns: 20 },
      );
    });
  }
});
