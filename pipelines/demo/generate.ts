// Entry point of the synthetic demo data set: `generateDemo` writes one CSV per contract entity
// (UTF-8, header = contract column names) and manifest.json into `outDir`. Everything follows from
// the seed and the number of participants; the as-of date is fixed (calendar.ts, AS_OF), so the same
// options always give byte-identical files. Participants stream through one at a time: memory stays
// flat however many there are. docs/demo-data.md explains every assumption.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityName } from '../contract/entities.ts';
import { AS_OF, dateText, monthOfDay } from './calendar.ts';
import { makeIncome, makeSpells } from './careers.ts';
import { makePayments, makeTerms, obligations, type CollectionState, type Payment } from './cib.ts';
import { FaultInjector, PAYROLL_FILE, PAYROLL_HEADER, Untidy, type ParticipantWriters } from './faults.ts';
import { fundEvents } from './fund.ts';
import { enrolmentDay, makeEnrollment, makeParticipant, planCohorts } from './programme.ts';
import { Random, seed32, Stream } from './random.ts';
import { agreementCells, cohortCells, COLUMNS, employmentCells, enrollmentCells, fundCells, incomeCells, participantCells, repaymentCells } from './rows.ts';
import { finishSib, SIB_CONTRACTS, SibLedger } from './sib.ts';
import { CsvWriter, type Cell } from './write.ts';

export interface DemoOptions {
  participants: number;
  seed: number;
  outDir: string;
  dirty: boolean;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface DemoFault {
  file: string;
  row: number;
  column: string;
  fault: 'bad_date' | 'unknown_participant' | 'duplicate' | 'bad_enum' | 'bad_municipality_check_digit' | 'missing_required' | 'negative_amount' | 'bad_number';
}

export interface DemoManifest {
  seed: number;
  participants: number;
  asOf: string /* YYYY-MM-DD */;
  dirty: boolean;
  files: Array<{ file: string; entity: string; rows: number; encoding: 'utf-8' | 'shift_jis' }>;
  faults: DemoFault[];
}

/** Share of enrolees who sign a CIB agreement at enrolment. */
const CIB_UPTAKE = 0.9;
/** Await the file streams' back-pressure every this many participants. */
const DRAIN_EVERY = 256;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

type Writers = Record<EntityName, CsvWriter>;

export async function generateDemo(options: DemoOptions): Promise<DemoManifest> {
  const { participants: n, seed, outDir, dirty, onProgress } = options;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`participants must be a positive whole number, got ${n}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a whole number, got ${seed}`);
  const s = seed32(seed);
  await mkdir(outDir, { recursive: true });
  // A payroll file left by an earlier --dirty run must not be mistaken for part of a clean set.
  if (!dirty) await rm(join(outDir, PAYROLL_FILE), { force: true });

  const cohorts = planCohorts(n);
  const faults = new FaultInjector(s, n, cohorts, dirty);
  const untidy = dirty ? new Untidy(new Random(s, Stream.formats)) : Untidy.clean();
  const w = Object.fromEntries(
    (Object.keys(COLUMNS) as EntityName[]).map((name) => [name, new CsvWriter(outDir, `${name}.csv`, name, COLUMNS[name])]),
  ) as Writers;
  const payroll = dirty ? new CsvWriter(outDir, PAYROLL_FILE, 'income', PAYROLL_HEADER, { encoding: 'shift_jis', eol: '\r\n' }) : null;
  const all = [...Object.values(w), ...(payroll ? [payroll] : [])];
  const drain = () => Promise.all(all.map((x) => x.drain()));

  for (const c of cohorts) w.cohorts.write(cohortCells(c));

  const ledger = new SibLedger(SIB_CONTRACTS);
  const inflows = new Map<number, number>();
  const collection: CollectionState = { prepayments: 0 };
  let employmentSeq = 0;
  let agreementSeq = 0;
  let paymentSeq = 0;
  const progressEvery = Math.max(1, Math.floor(n / 100));
  onProgress?.('participants', 0, n);

  let index = 0;
  for (const cohort of cohorts) {
    for (let seat = 0; seat < cohort.size; seat++, index++) {
      const rng = new Random(s, Stream.participant, index);
      const enrolledOn = enrolmentDay(rng, cohort);
      const p = makeParticipant(rng, index, enrolledOn);
      const e = makeEnrollment(rng, cohort, enrolledOn, p.japanese);
      w.participants.write(participantCells(p, untidy));
      w.enrollments.write(enrollmentCells(p, e, untidy));

      const spells = makeSpells(rng, p, e);
      const employment = spells.map((sp) => employmentCells(`EMP-${pad(++employmentSeq, 8)}`, p.ref, sp, untidy));
      for (const cells of employment) w.employment.write(cells);

      const { rows: incomeRows, payroll: payrollIncome } = makeIncome(rng, p, e, spells);
      const income = incomeRows.map((r) => incomeCells(p.ref, r, untidy));
      for (const cells of income) w.income.write(cells);
      if (payroll && payrollIncome) faults.payrollRow(payroll, p.ref, payrollIncome);

      let agreementId: string | null = null;
      let payments: Payment[] = [];
      let repayments: Cell[][] = [];
      if (rng.chance(CIB_UPTAKE)) {
        const terms = makeTerms(e, cohort);
        agreementId = `CIB-${pad(++agreementSeq, 7)}`;
        w.cib_agreements.write(agreementCells(agreementId, p.ref, terms));
        if (e.completedOn !== null) {
          payments = makePayments(rng, terms, obligations(terms, e.completedOn, incomeRows), collection);
          const id = agreementId;
          repayments = payments.map((pay) => repaymentCells(`PAY-${pad(++paymentSeq, 8)}`, id, pay, untidy));
          for (const cells of repayments) w.repayments.write(cells);
          for (const pay of payments) {
            const month = monthOfDay(pay.paidOn);
            inflows.set(month, (inflows.get(month) ?? 0) + pay.amount);
          }
        }
      }

      const referral = ledger.refer(rng, p, e);
      if (referral) {
        w.sib_referrals.write([referral.contract.id, p.ref, dateText(referral.referredOn)]);
        ledger.record(referral.contract, referral.referredOn, e, spells, incomeRows);
      }

      if (dirty) {
        faults.afterParticipant(
          index,
          { participant: p, enrollment: e, employment, income, incomeRows, agreementId, repayments, payments, referredTo: referral?.contract.id ?? null },
          w as ParticipantWriters,
        );
      }
      if ((index + 1) % DRAIN_EVERY === 0) await drain();
      if ((index + 1) % progressEvery === 0) onProgress?.('participants', index + 1, n);
    }
  }
  if (dirty) faults.finishParticipants(w as ParticipantWriters);
  if (payroll) faults.finishPayroll(payroll);

  onProgress?.('sib', 0, 1);
  const sib = finishSib(ledger);
  for (const row of sib.contracts) w.sib_contracts.write(row);
  for (const row of sib.outcomes) w.sib_outcomes.write(row);
  for (const row of sib.cashflows) w.sib_cashflows.write(row);
  onProgress?.('sib', 1, 1);

  const events = fundEvents(new Random(s, Stream.fund), cohorts, inflows);
  const fundRows = events.reduce((sum, ev) => sum + ev.count, 0);
  faults.planFund(fundRows);
  let txn = 0;
  onProgress?.('fund', 0, fundRows);
  for (const ev of events) {
    for (let k = 0; k < ev.count; k++) {
      w.fund_transactions.write(fundCells(`FT-${pad(++txn, 8)}`, ev, untidy));
      faults.afterFundRow(w.fund_transactions);
      if (txn % (DRAIN_EVERY * 16) === 0) await drain();
    }
  }
  onProgress?.('fund', fundRows, fundRows);

  onProgress?.('close', 0, all.length);
  for (const x of all) await x.close();
  onProgress?.('close', all.length, all.length);

  const fileOrder = all.map((x) => x.file);
  const manifest: DemoManifest = {
    seed,
    participants: n,
    asOf: AS_OF,
    dirty,
    files: all.map((x) => ({ file: x.file, entity: x.entity, rows: x.rows, encoding: x.encoding })),
    faults: [...faults.faults].sort((a, b) => fileOrder.indexOf(a.file) - fileOrder.indexOf(b.file) || a.row - b.row),
  };
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
