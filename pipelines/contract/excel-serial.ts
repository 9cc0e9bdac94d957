// Excel date serials: the one rule for the calendar day a serial stands for. The xlsx reader applies it to every cell
// shown as a date; the SQL normaliser (parse_date_text in normalise.sql) reads only 5-digit serials (1927 to 2173), where
// the rule is days since 1899-12-30, and a test checks the two agree.
//
// In the 1900 date system (Excel's default) serial 1 is 1900-01-01 and 59 is 1900-02-28. Serial 60 is 1900-02-29, a day
// that never existed: Lotus 1-2-3 counted 1900 as a leap year and Excel kept the error, so from 61 (1900-03-01) on a
// serial is one more than the days since 1899-12-31, i.e. the days since 1899-12-30. In the 1904 date system (old Mac
// workbooks) serial 0 is 1904-01-01, with no gap. The fraction of a serial is the time of day.

const DAY_MS = 86_400_000;
/** Day 0 of the serials from 61 on (and, counting the fictitious 1900-02-29, of all of them). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const FICTITIOUS_LEAP_DAY = 60;
/** 9999-12-31, the last day Excel shows, in each system. */
const LAST_SERIAL = { 1900: 2_958_465, 1904: 2_957_003 } as const;

/** The date and time a serial stands for (as UTC wall-clock time: Excel times have no zone), or why it stands for none. */
export type SerialDate = { date: Date } | { reason: string };

export function excelSerialDate(serial: number, date1904 = false): SerialDate {
  const day = Math.floor(serial);
  if (date1904) {
    if (!(serial >= 0 && day <= LAST_SERIAL[1904])) return { reason: outOfRange(serial, '1904-01-01') };
    return { date: new Date(EPOCH_1904 + Math.round(serial * DAY_MS)) };
  }
  if (day === FICTITIOUS_LEAP_DAY) {
    return { reason: 'Excel date serial 60 is 1900-02-29, a day that did not exist (Excel counts 1900 as a leap year); enter the date again' };
  }
  if (!(serial >= 1 && day <= LAST_SERIAL[1900])) return { reason: outOfRange(serial, '1900-01-01') };
  // Before the fictitious leap day, serials count from 1899-12-31.
  const days = day < FICTITIOUS_LEAP_DAY ? serial + 1 : serial;
  return { date: new Date(EPOCH_1900 + Math.round(days * DAY_MS)) };
}

function outOfRange(serial: number, first: string): string {
  return `Excel date serial ${serial} is outside the dates Excel can show (${first} to 9999-12-31)`;
}

/**
 * The serial of a date that exceljs computed from a cell itself (it reads every serial as days since 1899-12-30, or
 * since 1904-01-01), so that the rule above can be applied to it.
 */
export function exceljsDateSerial(date: Date, date1904: boolean): number {
  const epoch = date1904 ? EPOCH_1904 : EPOCH_1900;
  return (date.getTime() - epoch) / DAY_MS;
}
