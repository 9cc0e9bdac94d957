// What --dirty adds. Two kinds of mess, kept apart:
//  - Untidy: valid values written the way Japanese spreadsheets write them (¥1,234,000, 1,234,000円,
//    △780,000, full-width digits and dates). They must load; they are not faults.
//  - FaultInjector: a handful of faulty rows, each an EXTRA row with exactly one fault, recorded in the
//    manifest with its file, row (header = row 1), contract column and kind. Because every fault is an
//    extra row (a duplicate is the second copy), removing the recorded rows gives back exactly the clean
//    data set: no valid row depends on a faulty one.
// Both draw from their own random streams, so the clean and dirty runs share every base row.
import { AS_OF_DAY, AS_OF_MONTH, dateText, monthNumber, periodText, yearOfMonth } from './calendar.ts';
import type { IncomeRow } from './careers.ts';
import type { Payment } from './cib.ts';
import type { DemoFault } from './generate.ts';
import { makeParticipant, participantRef, type Cohort, type Enrollment, type Participant } from './programme.ts';
import { Random, Stream } from './random.ts';
import { participantCells } from './rows.ts';
import type { Cell, CsvWriter } from './write.ts';

export const PAYROLL_FILE = 'income-2026-10-payroll.csv';
/** Header of the payroll export: the Japanese header aliases of the income columns in the contract. */
export const PAYROLL_HEADER = ['参加者番号', '対象月', '月収', '出典', '確認済'] as const;

const FULL_WIDTH: Record<string, string> = { ',': '，', '-': '－', '.': '．' };

/** ０–９ and full-width punctuation, as Japanese IMEs type numbers. */
export function fullWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') out += String.fromCharCode(0xff10 + ch.charCodeAt(0) - 48);
    else out += FULL_WIDTH[ch] ?? ch;
  }
  return out;
}

export function withThousands(n: number): string {
  return Math.abs(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Valid values in untidy spellings; with no random stream (clean run) every value is written plainly. */
export class Untidy {
  constructor(private readonly rng: Random | null) {}

  static clean(): Untidy {
    return new Untidy(null);
  }

  yen(amount: number, p: number): Cell {
    if (this.rng === null || !this.rng.chance(p)) return amount;
    const u = this.rng.float();
    if (amount < 0) return u < 0.6 ? `△${withThousands(amount)}` : `-¥${withThousands(amount)}`;
    if (u < 0.5) return `¥${withThousands(amount)}`;
    if (u < 0.8) return `${withThousands(amount)}円`;
    return fullWidth(String(amount));
  }

  int(n: number, p: number): Cell {
    if (this.rng === null || !this.rng.chance(p)) return n;
    return fullWidth(String(n));
  }

  date(day: number, p: number): Cell {
    if (this.rng === null || !this.rng.chance(p)) return dateText(day);
    return fullWidth(dateText(day));
  }
}

/** Everything written for one participant, so a fault can copy or vary a real row. */
export interface ParticipantRows {
  participant: Participant;
  enrollment: Enrollment;
  employment: Cell[][];
  income: Cell[][];
  incomeRows: readonly IncomeRow[];
  agreementId: string | null;
  repayments: Cell[][];
  payments: readonly Payment[];
  referredTo: string | null;
}

export interface ParticipantWriters {
  participants: CsvWriter;
  enrollments: CsvWriter;
  employment: CsvWriter;
  income: CsvWriter;
  repayments: CsvWriter;
  sib_referrals: CsvWriter;
}

type Inject = (rows: ParticipantRows, w: ParticipantWriters) => boolean;

interface Planned {
  at: number;
  name: string;
  inject: Inject;
}

/** The SIB contract the bad-date referral names (any contract would do). */
const REFERRAL_CONTRACT = 'SIB-SHINJUKU-2023';

export class FaultInjector {
  readonly faults: DemoFault[] = [];
  private readonly pending: Planned[] = [];
  private readonly rng: Random;
  private payrollValid = 0;
  private payrollFaults: Array<{ after: number; write: (w: CsvWriter) => void }> = [];
  private lastPayrollRef: string | null = null;
  private fundAfter = -1;
  private readonly fallback: { employment?: ParticipantRows; repayments?: ParticipantRows; income?: ParticipantRows } = {};

  constructor(
    private readonly seed: number,
    private readonly n: number,
    private readonly cohorts: readonly Cohort[],
    readonly enabled: boolean,
  ) {
    this.rng = new Random(seed, Stream.faults);
    if (!enabled) return;
    const plan: Array<[string, Inject]> = [
      ['participant bad municipality', (r, w) => this.badMunicipality(r, w)],
      ['enrollment negative cost', (r, w) => this.negativeCost(r, w)],
      ['employment bad date', (r, w) => this.employmentVariant(r, w, 'started_on', '2026-02-30', 'bad_date')],
      ['employment bad enum', (r, w) => this.employmentVariant(r, w, 'contract', 'permanent', 'bad_enum')],
      ['employment missing employer', (r, w) => this.employmentVariant(r, w, 'employer_ref', '', 'missing_required')],
      ['income unknown participant', (r, w) => this.unknownIncome(r, w, participantRef(this.n + 500))],
      ['income unknown participant (typo)', (r, w) => this.unknownIncome(r, w, `WJ-O${r.participant.ref.slice(4)}`)],
      ['income duplicate', (r, w) => this.duplicate(r.income, w.income, 'participant_ref')],
      ['income missing amount', (r, w) => this.incomeVariant(r, w, 'missing_required')],
      ['income bad enum', (r, w) => this.incomeVariant(r, w, 'bad_enum')],
      ['repayment duplicate', (r, w) => this.duplicate(r.repayments, w.repayments, 'payment_id')],
      ['repayment bad number', (r, w) => this.badRepaymentAmount(r, w)],
      ['referral bad date', (r, w) => this.badReferral(r, w)],
    ];
    // Early participants have the longest histories (jobs, income, repayments) to vary.
    for (const [name, inject] of plan) this.pending.push({ at: this.rng.int(0, Math.floor(0.6 * (n - 1))), name, inject });
    this.pending.sort((a, b) => a.at - b.at);
    this.payrollFaults = [
      { after: 1, write: (w) => this.payrollUnknown(w) },
      { after: 3, write: (w) => this.payrollBadMonth(w) },
    ];
  }

  private record(w: CsvWriter, row: number, column: string, fault: DemoFault['fault']): void {
    this.faults.push({ file: w.file, row, column, fault });
  }

  /** Called once all rows of participant `index` are written; injects the faults planned at or before it. */
  afterParticipant(index: number, rows: ParticipantRows, w: ParticipantWriters): void {
    if (this.pending.length === 0) return;
    // Remember a participant with each kind of history, for faults still waiting at the end.
    if (rows.employment.length > 0) this.fallback.employment = rows;
    if (rows.repayments.length > 0) this.fallback.repayments = rows;
    if (rows.incomeRows.some((r) => r.month < AS_OF_MONTH && r.source !== 'self_report')) this.fallback.income = rows;
    if ((this.pending[0] as Planned).at > index) return;
    this.tryPending(index, rows, w);
  }

  private tryPending(index: number, rows: ParticipantRows, w: ParticipantWriters): void {
    for (let k = 0; k < this.pending.length; k++) {
      const planned = this.pending[k] as Planned;
      if (planned.at > index) break;
      if (planned.inject(rows, w)) {
        this.pending.splice(k, 1);
        k--;
      }
    }
  }

  /** After the last participant: faults that found no suitable row yet go after the remembered ones. */
  finishParticipants(w: ParticipantWriters): void {
    for (const rows of [this.fallback.repayments, this.fallback.employment, this.fallback.income]) {
      if (rows) this.tryPending(Number.POSITIVE_INFINITY, rows, w);
    }
  }

  /** Faults that found no suitable row (only possible for demos of a few dozen participants). */
  get notInjected(): string[] {
    return this.pending.map((p) => p.name);
  }

  private badMunicipality(r: ParticipantRows, w: ParticipantWriters): boolean {
    // An extra person (referenced by nothing else) whose municipality code has a wrong check digit.
    const p = makeParticipant(new Random(this.seed, Stream.faults, 1), this.n, r.enrollment.enrolledOn);
    const right = Number(p.municipality.code[5]);
    const wrong = (right + this.rng.int(1, 9)) % 10;
    const row = w.participants.write(participantCells(p, Untidy.clean(), `${p.municipality.code5}${wrong}`));
    this.record(w.participants, row, 'municipality_code', 'bad_municipality_check_digit');
    return true;
  }

  private negativeCost(r: ParticipantRows, w: ParticipantWriters): boolean {
    // A second enrolment (another cohort, so a new key) whose cost was keyed in with a minus sign.
    const others = this.cohorts.filter((c) => c.id !== r.enrollment.cohort.id);
    if (others.length === 0) return false;
    const running = others.filter((c) => c.end > AS_OF_DAY && c.start - 10 <= AS_OF_DAY);
    const cohort = running.length > 0 ? this.rng.pick(running) : (others[others.length - 1] as Cohort);
    const row = w.enrollments.write([r.participant.ref, cohort.id, dateText(Math.min(cohort.start - 10, AS_OF_DAY)), 'enrolled', null, null, -cohort.cost]);
    this.record(w.enrollments, row, 'training_cost_jpy', 'negative_amount');
    return true;
  }

  private employmentVariant(r: ParticipantRows, w: ParticipantWriters, column: string, value: string, fault: DemoFault['fault']): boolean {
    const last = r.employment[r.employment.length - 1];
    if (!last) return false;
    const cells = [...last];
    const columns = w.employment.columns;
    cells[columns.indexOf('employment_id')] = `EMP-X${String(this.faults.length + 1).padStart(4, '0')}`;
    cells[columns.indexOf(column)] = value;
    if (column === 'started_on') cells[columns.indexOf('ended_on')] = null;
    const row = w.employment.write(cells);
    this.record(w.employment, row, column, fault);
    return true;
  }

  private unknownIncome(r: ParticipantRows, w: ParticipantWriters, ref: string): boolean {
    const last = r.income[r.income.length - 1];
    if (!last) return false;
    const cells = [...last];
    cells[0] = ref;
    const row = w.income.write(cells);
    this.record(w.income, row, 'participant_ref', 'unknown_participant');
    return true;
  }

  private duplicate(rows: Cell[][], writer: CsvWriter, column: string): boolean {
    const last = rows[rows.length - 1];
    if (!last) return false;
    const row = writer.write(last);
    this.record(writer, row, column, 'duplicate');
    return true;
  }

  private incomeVariant(r: ParticipantRows, w: ParticipantWriters, fault: 'missing_required' | 'bad_enum'): boolean {
    // A second figure for a month already reported from another source (so a new key), with one fault.
    const i = r.incomeRows.findIndex((x) => x.month < AS_OF_MONTH && x.source !== 'self_report');
    const base = r.income[i];
    const source = r.incomeRows[i];
    if (!base || !source) return false;
    const row =
      fault === 'missing_required'
        ? w.income.write([r.participant.ref, periodText(source.month), null, 'self_report', false])
        : w.income.write([r.participant.ref, periodText(source.month), source.amount, 'bank_statement', true]);
    this.record(w.income, row, fault === 'missing_required' ? 'gross_income_jpy' : 'source', fault);
    return true;
  }

  private badRepaymentAmount(r: ParticipantRows, w: ParticipantWriters): boolean {
    const last = r.payments[r.payments.length - 1];
    if (!last || r.agreementId === null) return false;
    const row = w.repayments.write([`PAY-X${String(this.faults.length + 1).padStart(4, '0')}`, r.agreementId, dateText(last.paidOn), '25,0O0']);
    this.record(w.repayments, row, 'amount_jpy', 'bad_number');
    return true;
  }

  private badReferral(r: ParticipantRows, w: ParticipantWriters): boolean {
    if (r.referredTo === REFERRAL_CONTRACT) return false;
    const row = w.sib_referrals.write([REFERRAL_CONTRACT, r.participant.ref, '31/31/2025']);
    this.record(w.sib_referrals, row, 'referred_on', 'bad_date');
    return true;
  }

  // --- the vendor's Shift_JIS payroll export (--dirty only) ---

  /** A valid payroll row as the vendor's software writes it: 令和 month, full-width yen, Japanese labels. */
  payrollRow(w: CsvWriter, ref: string, income: IncomeRow): void {
    w.write([ref, reiwaMonth(income.month), `${fullWidth(withThousands(income.amount))}円`, '給与明細', income.verified ? 'はい' : 'いいえ']);
    this.payrollValid++;
    this.lastPayrollRef = ref;
    while (this.payrollFaults.length > 0 && (this.payrollFaults[0] as { after: number }).after <= this.payrollValid) {
      this.payrollFaults.shift()?.write(w);
    }
  }

  /** Writes payroll faults still due (when the vendor had fewer employees than planned). */
  finishPayroll(w: CsvWriter): void {
    for (const f of this.payrollFaults.splice(0)) f.write(w);
  }

  private payrollUnknown(w: CsvWriter): void {
    const row = w.write([participantRef(this.n + 700), reiwaMonth(AS_OF_MONTH), `${fullWidth(withThousands(268_000))}円`, '給与明細', 'はい']);
    this.record(w, row, 'participant_ref', 'unknown_participant');
  }

  private payrollBadMonth(w: CsvWriter): void {
    // 令和8年13月: a month that does not exist.
    const ref = this.lastPayrollRef ?? participantRef(0);
    const row = w.write([ref, `令和${yearOfMonth(AS_OF_MONTH) - 2018}年13月`, `${fullWidth(withThousands(255_000))}円`, '給与明細', 'はい']);
    this.record(w, row, 'period', 'bad_date');
  }

  // --- fund_transactions.csv ---

  /** Chooses after which fund row the bad-date transaction goes. */
  planFund(totalRows: number): void {
    if (this.enabled && totalRows > 0) this.fundAfter = this.rng.int(1, totalRows);
  }

  /** Called after each fund row is written. */
  afterFundRow(w: CsvWriter): void {
    if (w.rows !== this.fundAfter) return;
    this.fundAfter = -1;
    // 2025 is not a leap year.
    const row = w.write(['FT-X0001', '2025-02-29', 'donation', 300_000, 'Kumo Software KK']);
    this.record(w, row, 'date', 'bad_date');
  }
}

/** `令和8年10月`. */
export function reiwaMonth(month: number): string {
  return `令和${yearOfMonth(month) - 2018}年${monthNumber(month)}月`;
}
