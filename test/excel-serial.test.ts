// Excel date serials: the rule (pipelines/contract/excel-serial.ts) by hand-worked days, against an independent
// reference, and against the SQL normaliser's serial branch (CSV and other text files).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { excelSerialDate, exceljsDateSerial } from '../pipelines/contract/excel-serial.ts';
import { normaliserConnection, sqlValue } from './helpers.ts';

const day = (serial: number, date1904 = false) => {
  const r = excelSerialDate(serial, date1904);
  return 'date' in r ? r.date.toISOString().slice(0, 10) : r.reason;
};

/**
 * The reference: Excel's calendar counted from 1900-01-01 as day 1, with a 29 February 1900 inserted as day 60
 * (JavaScript's Date.UTC rolls day numbers past the end of a month over, so the day of January is the serial).
 */
function referenceDay(serial: number, date1904: boolean): string | null {
  if (date1904) return new Date(Date.UTC(1904, 0, 1 + serial)).toISOString().slice(0, 10);
  if (serial === 60) return null;
  return new Date(Date.UTC(1900, 0, serial < 60 ? serial : serial - 1)).toISOString().slice(0, 10);
}

describe('the serial rule', () => {
  it('gives the days Excel shows at the start of its calendar', () => {
    expect(day(1)).toBe('1900-01-01');
    expect(day(31)).toBe('1900-01-31');
    expect(day(32)).toBe('1900-02-01');
    expect(day(59)).toBe('1900-02-28');
    expect(day(61)).toBe('1900-03-01');
    expect(day(45383)).toBe('2024-04-01'); // =DATE(2024,4,1)
    expect(day(2958465)).toBe('9999-12-31');
  });

  it('rejects 60, the fictitious 1900-02-29, and serials outside Excel\'s calendar, with a reason', () => {
    expect(day(60)).toBe('Excel date serial 60 is 1900-02-29, a day that did not exist (Excel counts 1900 as a leap year); enter the date again');
    expect(day(60.5)).toMatch(/^Excel date serial 60 is 1900-02-29/);
    expect(day(0)).toBe('Excel date serial 0 is outside the dates Excel can show (1900-01-01 to 9999-12-31)');
    expect(day(-3)).toMatch(/outside the dates Excel can show/);
    expect(day(2958466)).toMatch(/outside the dates Excel can show/);
    expect(day(Number.POSITIVE_INFINITY)).toMatch(/outside/);
  });

  it('counts the 1904 date system from 1904-01-01, with no gap', () => {
    expect(day(0, true)).toBe('1904-01-01');
    expect(day(59, true)).toBe('1904-02-29');
    expect(day(43921, true)).toBe('2024-04-01');
    expect(day(-1, true)).toMatch(/outside the dates Excel can show \(1904-01-01 to 9999-12-31\)/);
  });

  it('keeps the time of day', () => {
    const r = excelSerialDate(45383.5);
    expect('date' in r && r.date.toISOString()).toBe('2024-04-01T12:00:00.000Z');
    const early = excelSerialDate(59.75);
    expect('date' in early && early.date.toISOString()).toBe('1900-02-28T18:00:00.000Z');
  });

  it('agrees with the reference on every day of both calendars', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_958_465 }), fc.boolean(), (serial, date1904) => {
        if (date1904 && serial > 2_957_003) return;
        const got = excelSerialDate(serial, date1904);
        const want = referenceDay(serial, date1904);
        expect('date' in got ? got.date.toISOString().slice(0, 10) : null).toBe(want);
      }),
      { numRuns: 2000, seed: 20261204 },
    );
    for (let serial = 1; serial <= 400; serial++) expect(day(serial), String(serial)).toBe(referenceDay(serial, false) ?? day(60));
  });

  it('undoes the conversion exceljs makes itself (days since 1899-12-30, or 1904-01-01)', () => {
    // exceljs's utils.excelToDate, which the sheet reader applies to a cell in one of its date formats.
    const exceljs = (v: number, date1904: boolean) => new Date(Math.round((v - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_957_003 * 1000 }), fc.boolean(), (thousandths, date1904) => {
        const serial = thousandths / 1000;
        const back = exceljsDateSerial(exceljs(serial, date1904), date1904);
        expect(Math.abs(back - serial)).toBeLessThan(1e-8);
        expect(Math.floor(back)).toBe(Math.floor(serial));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});

describe('serials in text files (the SQL normaliser)', () => {
  let conn: DuckDBConnection;
  let close: () => void;
  beforeAll(async () => ({ conn, close } = await normaliserConnection()));
  afterAll(() => close());

  it('reads a 5-digit serial as the rule does', async () => {
    expect(await sqlValue(conn, 'parse_date($v)', '45383')).toBe('2024-04-01');
    expect(await sqlValue(conn, 'parse_date($v)', '45383.75')).toBe('2024-04-01');
    // Shorter numbers are not read as dates: "59" in a date column is more likely a typo than 1900-02-28.
    expect(await sqlValue(conn, 'parse_date($v)', '59')).toBeNull();
    expect(await sqlValue(conn, 'parse_date($v)', '60')).toBeNull();
  });

  it('agrees with the rule on every 5-digit serial', async () => {
    const serials = fc.sample(fc.integer({ min: 10_000, max: 99_999 }), { numRuns: 300, seed: 11 });
    const got = await conn.runAndReadAll(`SELECT s, parse_date(s::VARCHAR)::VARCHAR AS d FROM unnest([${serials.join(', ')}]) t(s)`);
    for (const [serial, date] of got.getRows()) expect(date, String(serial)).toBe(day(Number(serial)));
  });
});
