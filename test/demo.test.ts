// The synthetic demo generator (pipelines/demo): real files in a temp folder, checked against the input
// contract (entities.ts), against the CIB terms they claim to follow, and, for --dirty, against the
// manifest's list of faults. Small N keeps the whole file to a few seconds.
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import { specOf, type ColumnSpec } from '../pipelines/contract/columns.ts';
import { entities, entityNames, type EntityName } from '../pipelines/contract/entities.ts';
import { installNormalisers } from '../pipelines/contract/normalisers.ts';
import { generateDemo, type DemoFault, type DemoManifest } from '../pipelines/demo/generate.ts';
import { municipalityCheckDigit } from '../pipelines/demo/municipalities.ts';

const N = 300;
const AS_OF = '2026-10-31';
const PAYROLL = 'income-2026-10-payroll.csv';

/** Planned dates, the only ones that may lie after the as-of date: a running cohort's last day, a contract's end. */
const PLANNED = new Set(['cohorts.end_date', 'sib_contracts.end_date']);

const require = createRequire(import.meta.url);
const ISO3 = new Set((require('world-countries/countries.json') as Array<{ cca3: string }>).map((c) => c.cca3));

// --- reading what was written ---------------------------------------------------------------

/** RFC 4180 CSV (quoted fields, doubled quotes, LF or CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

interface Table {
  header: string[];
  /** Data rows; rows[i] is row i + 2 as a person sees it. */
  rows: string[][];
  objects: Array<Record<string, string>>;
}

function readTable(dir: string, file: string, encoding: 'utf-8' | 'shift_jis' = 'utf-8'): Table {
  const bytes = readFileSync(join(dir, file));
  const text = encoding === 'shift_jis' ? iconv.decode(bytes, 'Shift_JIS') : bytes.toString('utf8');
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${file} is empty`);
  return { header, rows, objects: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

function readAll(dir: string): Record<EntityName, Table> {
  return Object.fromEntries(entityNames.map((name) => [name, readTable(dir, `${name}.csv`)])) as Record<EntityName, Table>;
}

const columnSpecs = (name: EntityName): Array<[string, ColumnSpec]> =>
  Object.entries(entities[name].schema.shape as unknown as Record<string, ZodType>).map(([column, schema]) => [column, specOf(schema)]);

/** CSV text to the value zod expects (DuckDB types differ: months are stored as their first day). */
function typed(spec: ColumnSpec, raw: string): unknown {
  if (raw === '') return undefined;
  switch (spec.kind) {
    case 'yen':
    case 'int':
    case 'rate':
      return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
    case 'bool':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'month':
      return /^\d{4}-\d{2}$/.test(raw) ? `${raw}-01` : raw;
    default:
      return raw;
  }
}

function isRealDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const monthIndex = (yyyyMm: string) => Number(yyyyMm.slice(0, 4)) * 12 + Number(yyyyMm.slice(5, 7)) - 1;

/** Undoes the valid-but-untidy spellings --dirty writes (¥1,234 / 1,234円 / △1,234 / full-width). */
function tidy(value: string): string {
  const folded = value.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\uffe5/g, '¥');
  const yen = /^(△|-)?¥?([\d,]+)円?$/.exec(folded);
  if (yen && /[¥円△,]/.test(folded)) return `${yen[1] ? '-' : ''}${(yen[2] as string).replaceAll(',', '')}`;
  return folded;
}

// --- the data sets ----------------------------------------------------------------------------

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'impact-demo-'));
  dirs.push(dir);
  return dir;
}

let clean: { dir: string; manifest: DemoManifest; t: Record<EntityName, Table> };
let dirty: { dir: string; manifest: DemoManifest; t: Record<EntityName, Table> };
let again: string;
let dirtyAgain: string;
let otherSeed: string;
const progress: Array<[string, number, number]> = [];

beforeAll(async () => {
  const run = async (seed: number, isDirty: boolean, onProgress?: (s: string, d: number, t: number) => void) => {
    const dir = freshDir();
    const manifest = await generateDemo({ participants: N, seed, outDir: dir, dirty: isDirty, onProgress });
    return { dir, manifest };
  };
  const c = await run(7, false, (s, d, t) => progress.push([s, d, t]));
  clean = { ...c, t: readAll(c.dir) };
  const d = await run(7, true);
  dirty = { ...d, t: readAll(d.dir) };
  again = (await run(7, false)).dir;
  dirtyAgain = (await run(7, true)).dir;
  otherSeed = (await run(8, false)).dir;
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// --- determinism ------------------------------------------------------------------------------

describe('determinism', () => {
  it.each([
    ['clean', () => [clean.dir, again]],
    ['dirty', () => [dirty.dir, dirtyAgain]],
  ])('the same seed and N give byte-identical files (%s)', (_, dirsOf) => {
    const [a, b] = dirsOf() as [string, string];
    const files = readdirSync(a).sort();
    expect(readdirSync(b).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('a different seed gives different data', () => {
    for (const f of ['participants.csv', 'income.csv', 'repayments.csv']) {
      expect(readFileSync(join(otherSeed, f)).equals(readFileSync(join(clean.dir, f))), f).toBe(false);
    }
  });

  it('--dirty shares every clean row: dropping the recorded faults and tidying values gives the clean files back', () => {
    for (const name of entityNames) {
      const file = `${name}.csv`;
      const faultRows = new Set(dirty.manifest.faults.filter((f) => f.file === file).map((f) => f.row));
      const kept = dirty.t[name].rows.filter((_, i) => !faultRows.has(i + 2)).map((r) => r.map(tidy));
      expect(kept, file).toEqual(clean.t[name].rows);
    }
  });

  it('reports progress up to every participant', () => {
    expect(progress).toContainEqual(['participants', N, N]);
  });
});

// --- the clean set against the contract -----------------------------------------------------------

describe('clean files', () => {
  it('has one file per entity, header = contract columns, row counts as in the manifest', () => {
    expect(clean.manifest).toMatchObject({ seed: 7, participants: N, asOf: AS_OF, dirty: false, faults: [] });
    expect(clean.manifest.files.map((f) => f.entity)).toEqual(entityNames);
    expect(existsSync(join(clean.dir, PAYROLL))).toBe(false);
    const onDisk = JSON.parse(readFileSync(join(clean.dir, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(clean.manifest);
    for (const f of clean.manifest.files) {
      const t = clean.t[f.entity as EntityName];
      expect(f.file).toBe(`${f.entity}.csv`);
      expect(f.encoding).toBe('utf-8');
      expect(t.header).toEqual(Object.keys(entities[f.entity as EntityName].schema.shape));
      expect(t.rows.length, f.file).toBe(f.rows);
      expect(t.rows.length, `${f.file} has rows`).toBeGreaterThan(0);
    }
  });

  it.each(entityNames)('every row of %s satisfies its zod schema', (name) => {
    const specs = columnSpecs(name);
    const schema = entities[name].schema;
    for (const [i, o] of clean.t[name].objects.entries()) {
      const value = Object.fromEntries(specs.map(([column, spec]) => [column, typed(spec, o[column] ?? '')]));
      const result = schema.safeParse(value);
      if (!result.success) throw new Error(`${name}.csv row ${i + 2}: ${result.error.message}`);
      for (const [column, spec] of specs) {
        const raw = o[column] ?? '';
        if (raw === '') continue;
        if (spec.kind === 'date') expect(isRealDate(raw) && (raw <= AS_OF || PLANNED.has(`${name}.${column}`)), `${name}.${column} ${raw}`).toBe(true);
        if (spec.kind === 'month') expect(/^\d{4}-\d{2}$/.test(raw) && raw <= AS_OF.slice(0, 7), `${name}.${column} ${raw}`).toBe(true);
        if (spec.kind === 'enum') expect(spec.values, `${name}.${column}`).toContain(raw);
        if (spec.kind === 'country') expect(ISO3.has(raw), raw).toBe(true);
        if (spec.kind === 'municipality') expect(municipalityCheckDigit(raw.slice(0, 5)), raw).toBe(Number(raw[5]));
        if (spec.kind === 'rate') expect(Number(raw) > 0 && Number(raw) < 1).toBe(true);
      }
    }
  });

  it.each(entityNames)('keys of %s are unique', (name) => {
    const key = entities[name].key as readonly string[];
    const seen = new Set(clean.t[name].objects.map((o) => key.map((k) => o[k]).join('\u0000')));
    expect(seen.size).toBe(clean.t[name].rows.length);
  });

  it('every reference names a row of the referenced entity', () => {
    for (const name of entityNames) {
      for (const [column, target] of Object.entries(entities[name].references) as Array<[string, EntityName]>) {
        const known = new Set(clean.t[target].objects.map((o) => o[column]));
        for (const o of clean.t[name].objects) expect(known.has(o[column] ?? ''), `${name}.${column} = ${o[column]}`).toBe(true);
      }
    }
  });

  it('uses correct municipality check digits (worked examples)', () => {
    expect(municipalityCheckDigit('13104')).toBe(1);
    expect(municipalityCheckDigit('14100')).toBe(3);
    expect(municipalityCheckDigit('27100')).toBe(4);
  });

  it('gives every participant direct identifiers, and plausible ages and consent', () => {
    const ps = clean.t.participants.objects;
    for (const p of ps) {
      expect(p.participant_ref).toMatch(/^WJ-\d{6,}$/);
      expect(p.name).not.toBe('');
      expect(p.email).toMatch(/@example\.(com|org|net)$/);
      expect(p.phone).toMatch(/^0[789]0-\d{4}-\d{4}$/);
      const age = 2026 - Number(p.birth_year);
      expect(age).toBeGreaterThanOrEqual(20);
      expect(age).toBeLessThanOrEqual(55);
    }
    const consent = ps.filter((p) => p.consent_research === 'true').length / ps.length;
    expect(consent).toBeGreaterThan(0.75);
    expect(consent).toBeLessThan(0.95);
  });

  it('keeps enrolments consistent with their status and cohort', () => {
    const cohorts = new Map(clean.t.cohorts.objects.map((c) => [c.cohort_id, c]));
    let completed = 0;
    for (const e of clean.t.enrollments.objects) {
      const c = cohorts.get(e.cohort_id ?? '')!;
      expect(e.completed_on !== '', `${e.participant_ref}`).toBe(e.status === 'completed');
      expect(e.withdrawn_on !== '').toBe(e.status === 'withdrawn');
      if (e.status === 'completed') {
        completed++;
        expect(e.completed_on! >= c.end_date!).toBe(true);
      }
      if (e.status === 'withdrawn') expect(e.withdrawn_on! >= e.enrolled_on! && e.withdrawn_on! <= c.end_date!).toBe(true);
      if (e.status === 'enrolled') expect(c.end_date! > AS_OF || c.end_date! >= '2026-09-01').toBe(true);
      expect(Number(e.training_cost_jpy)).toBeGreaterThanOrEqual(380_000);
      expect(Number(e.training_cost_jpy)).toBeLessThanOrEqual(900_000);
    }
    expect(completed / clean.t.enrollments.rows.length).toBeGreaterThan(0.7);
  });

  it('has at most one income figure per participant and month, or agreeing figures from two sources', () => {
    const byMonth = new Map<string, string>();
    for (const r of clean.t.income.objects) {
      const k = `${r.participant_ref}/${r.period}`;
      const seen = byMonth.get(k);
      if (seen !== undefined) expect(r.gross_income_jpy, k).toBe(seen);
      byMonth.set(k, r.gross_income_jpy ?? '');
    }
  });

  it('has employment spells that do not overlap and start no earlier than the enrolment', () => {
    const enrolled = new Map(clean.t.enrollments.objects.map((e) => [e.participant_ref, e.enrolled_on]));
    const last = new Map<string, string>();
    for (const s of clean.t.employment.objects) {
      expect(s.started_on! > enrolled.get(s.participant_ref)!).toBe(true);
      if (s.ended_on) expect(s.ended_on >= s.started_on!).toBe(true);
      const prev = last.get(s.participant_ref!);
      if (prev !== undefined) expect(prev !== '' && s.started_on! > prev, `${s.employment_id}`).toBe(true);
      last.set(s.participant_ref!, s.ended_on ?? '');
      expect(s.employer_ref).toMatch(s.employment_type === 'impact_sourcing' ? /^VENDOR-\d{2}$/ : /^EMPLOYER-\d{2}$/);
    }
  });
});

// --- CIB: repayments follow the terms ----------------------------------------------------------

describe('CIB repayments', () => {
  interface Owed {
    month: number;
    amount: number;
  }

  /** The terms, computed here independently of the generator. */
  function owed(a: Record<string, string>, completedOn: string, income: Map<number, number>): Owed[] {
    const first = monthIndex(completedOn) + Number(a.grace_months) + 1;
    const last = first + Number(a.payment_window_months) - 1;
    const cap = Number(a.payment_cap_jpy);
    const out: Owed[] = [];
    let total = 0;
    for (const month of [...income.keys()].sort((x, y) => x - y)) {
      if (month < first || month > last) continue;
      if (out.length >= Number(a.max_payments) || total >= cap) break;
      const amount = income.get(month)!;
      if (amount < Number(a.income_threshold_jpy)) continue;
      const due = Math.min(Math.floor(Number(a.income_share_rate) * amount), cap - total);
      out.push({ month, amount: due });
      total += due;
    }
    return out;
  }

  it('never exceed the cap, start after the first repayment month, and pay only what the terms make due', () => {
    const t = clean.t;
    const completed = new Map(t.enrollments.objects.filter((e) => e.status === 'completed').map((e) => [e.participant_ref, e.completed_on!]));
    const income = new Map<string, Map<number, number>>();
    for (const r of t.income.objects) {
      const m = income.get(r.participant_ref!) ?? new Map<number, number>();
      m.set(monthIndex(r.period!), Number(r.gross_income_jpy));
      income.set(r.participant_ref!, m);
    }
    const payments = new Map<string, Array<Record<string, string>>>();
    for (const p of t.repayments.objects) payments.set(p.agreement_id!, [...(payments.get(p.agreement_id!) ?? []), p]);

    let checked = 0;
    let prepaid = 0;
    let reversed = 0;
    for (const a of t.cib_agreements.objects) {
      const paid = (payments.get(a.agreement_id!) ?? []).sort((x, y) => (x.paid_on! < y.paid_on! ? -1 : x.paid_on! > y.paid_on! ? 1 : 0));
      const completedOn = completed.get(a.participant_ref);
      if (!completedOn) {
        expect(paid, `${a.agreement_id} has payments but no completion`).toEqual([]);
        continue;
      }
      if (paid.length === 0) continue;
      checked++;
      const cap = Number(a.payment_cap_jpy);
      const total = paid.reduce((s, p) => s + Number(p.amount_jpy), 0);
      expect(total, a.agreement_id).toBeLessThanOrEqual(cap);
      const first = monthIndex(completedOn) + Number(a.grace_months) + 1;
      expect(monthIndex(paid[0]!.paid_on!), `${a.agreement_id} first payment`).toBeGreaterThan(first);

      // Match each payment that stands (reversals cancel the payment they reverse) to an obligation
      // of the same amount for an earlier month; only a final prepayment that reaches the cap may not match.
      const open = owed(a, completedOn, income.get(a.participant_ref!) ?? new Map());
      const standing: Array<{ amount: number; month: number }> = [];
      for (const p of paid) {
        const amount = Number(p.amount_jpy);
        if (amount < 0) {
          let k = standing.length - 1;
          while (k >= 0 && standing[k]!.amount !== -amount) k--;
          expect(k, `${a.agreement_id} reversal`).toBeGreaterThanOrEqual(0);
          standing.splice(k, 1);
          reversed++;
        } else {
          standing.push({ amount, month: monthIndex(p.paid_on!) });
        }
      }
      standing.forEach((s, i) => {
        const k = open.findIndex((o) => o.amount === s.amount && o.month < s.month);
        if (k >= 0) open.splice(k, 1);
        else {
          expect(i === standing.length - 1 && total === cap, `${a.agreement_id}: ${s.amount} is not due`).toBe(true);
          prepaid++;
        }
      });
    }
    expect(checked).toBeGreaterThan(50);
    expect(prepaid).toBeGreaterThanOrEqual(1);
    expect(reversed).toBeGreaterThanOrEqual(1);
  });

  it('agreements carry the programme terms', () => {
    const cost = new Map(clean.t.enrollments.objects.map((e) => [e.participant_ref, e.training_cost_jpy]));
    for (const a of clean.t.cib_agreements.objects) {
      expect(a.funded_amount_jpy).toBe(cost.get(a.participant_ref));
      expect(Number(a.payment_cap_jpy)).toBe(Math.round((Number(a.funded_amount_jpy) * 1.5) / 1000) * 1000);
      expect(Number(a.income_share_rate)).toBeGreaterThanOrEqual(0.08);
      expect(Number(a.income_share_rate)).toBeLessThanOrEqual(0.12);
      expect(Number(a.max_payments)).toBeGreaterThanOrEqual(24);
      expect(Number(a.max_payments)).toBeLessThanOrEqual(36);
      expect([2, 3]).toContain(Number(a.grace_months));
    }
  });

  it('the fund books each month of repayments as one inflow of the same total', () => {
    const byMonth = new Map<string, number>();
    for (const p of clean.t.repayments.objects) byMonth.set(p.paid_on!.slice(0, 7), (byMonth.get(p.paid_on!.slice(0, 7)) ?? 0) + Number(p.amount_jpy));
    const inflows = clean.t.fund_transactions.objects.filter((f) => f.type === 'repayment_inflow');
    expect(new Map(inflows.map((f) => [f.date!.slice(0, 7), Number(f.amount_jpy)]))).toEqual(new Map([...byMonth].filter(([, v]) => v !== 0)));
    const disbursements = clean.t.fund_transactions.objects.filter((f) => f.type === 'disbursement');
    expect(disbursements.length).toBe(clean.t.enrollments.rows.length);
    for (const f of clean.t.fund_transactions.objects) expect(f.counterparty, f.txn_id).not.toBe('');
  });
});

// --- SIB ----------------------------------------------------------------------------------------

describe('SIB', () => {
  it('refers only residents of the contract municipality, within the contract', () => {
    const home = new Map(clean.t.participants.objects.map((p) => [p.participant_ref, p.municipality_code]));
    const contracts = new Map(clean.t.sib_contracts.objects.map((c) => [c.contract_id, c]));
    expect(contracts.size).toBe(3);
    for (const r of clean.t.sib_referrals.objects) {
      const c = contracts.get(r.contract_id!)!;
      expect(home.get(r.participant_ref)).toBe(c.municipality_code);
      expect(r.referred_on! >= c.start_date! && r.referred_on! <= c.end_date!).toBe(true);
    }
  });

  it('signs cash flows from the investor side and keeps outcome payments within each cap, one cap binding', () => {
    let binding = 0;
    for (const c of clean.t.sib_contracts.objects) {
      const flows = clean.t.sib_cashflows.objects.filter((f) => f.contract_id === c.contract_id);
      for (const f of flows.filter((x) => x.party === 'investor')) expect(Number(f.amount_jpy)).toBeLessThan(0);
      const paid = flows.filter((x) => x.party === 'municipality').map((x) => Number(x.amount_jpy));
      for (const p of paid) expect(p).toBeGreaterThan(0);
      const total = paid.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(Number(c.payment_cap_jpy));
      if (total === Number(c.payment_cap_jpy)) binding++;
      expect(flows.length).toBeGreaterThan(1);
    }
    expect(binding).toBe(1);
    const kinds = new Set(clean.t.sib_outcomes.objects.map((o) => `${o.kind}:${o.parameter}`));
    expect(kinds).toEqual(new Set(['job_start:180', 'job_start:120', 'sustained_employment:180', 'sustained_employment:365', 'income_at_least:250000']));
  });
});

// --- --dirty -----------------------------------------------------------------------------------

describe('--dirty', () => {
  const faultsIn = (file: string) => dirty.manifest.faults.filter((f) => f.file === file);

  it('lists its files, the Shift_JIS payroll export among them, and every kind of fault', () => {
    expect(dirty.manifest.dirty).toBe(true);
    const payroll = dirty.manifest.files.find((f) => f.file === PAYROLL);
    expect(payroll).toEqual({ file: PAYROLL, entity: 'income', rows: expect.any(Number), encoding: 'shift_jis' });
    const kinds = new Set(dirty.manifest.faults.map((f) => f.fault));
    expect([...kinds].sort()).toEqual(
      ['bad_date', 'bad_enum', 'bad_municipality_check_digit', 'duplicate', 'missing_required', 'negative_amount', 'unknown_participant', 'bad_number'].sort(),
    );
    expect(faultsIn(PAYROLL).length).toBeGreaterThanOrEqual(1);
    expect(faultsIn(PAYROLL).length).toBeLessThanOrEqual(2);
    // One row, one fault.
    const rows = dirty.manifest.faults.map((f) => `${f.file}:${f.row}`);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('writes the payroll export in Shift_JIS, as Japanese payroll software does', () => {
    const bytes = readFileSync(join(dirty.dir, PAYROLL));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const t = readTable(dirty.dir, PAYROLL, 'shift_jis');
    expect(t.header).toEqual(['参加者番号', '対象月', '月収', '出典', '確認済']);
    // Each header is one of the contract's aliases for an income column.
    const aliases = columnSpecs('income').map(([, spec]) => spec.headers ?? []);
    t.header.forEach((h, i) => expect(aliases[i]).toContain(h));
    const manifestRows = dirty.manifest.files.find((f) => f.file === PAYROLL)!.rows;
    expect(t.rows.length).toBe(manifestRows);

    const known = new Set(clean.t.participants.objects.map((p) => p.participant_ref));
    const reported = new Set(dirty.t.income.objects.map((r) => `${r.participant_ref}/${r.period}/${r.source}`));
    const faultRows = new Set(faultsIn(PAYROLL).map((f) => f.row));
    const valid = t.objects.filter((_, i) => !faultRows.has(i + 2));
    expect(valid.length).toBeGreaterThan(0);
    for (const r of valid) {
      expect(known.has(r['参加者番号'])).toBe(true);
      expect(r['対象月']).toBe('令和8年10月');
      expect(r['月収']).toMatch(/^[０-９，]+円$/);
      expect(r['出典']).toBe('給与明細');
      expect(['はい', 'いいえ']).toContain(r['確認済']);
      expect(reported.has(`${r['参加者番号']}/2026-10/payslip`)).toBe(false);
    }
  });

  it('puts each recorded fault where the manifest says', () => {
    const participants = new Set(dirty.t.participants.objects.map((p) => p.participant_ref));
    for (const f of dirty.manifest.faults) {
      const t = f.file === PAYROLL ? readTable(dirty.dir, PAYROLL, 'shift_jis') : dirty.t[f.file.replace(/\.csv$/, '') as EntityName];
      const columns = f.file === PAYROLL ? ['participant_ref', 'period', 'gross_income_jpy', 'source', 'verified'] : t.header;
      const row = t.rows[f.row - 2];
      expect(row, `${f.file}:${f.row}`).toBeDefined();
      const value = row![columns.indexOf(f.column)];
      expect(value, `${f.file}:${f.row} has no column ${f.column}`).toBeDefined();
      const where = `${f.file}:${f.row} ${f.column}=${value} (${f.fault})`;
      const entity = f.file === PAYROLL ? 'income' : (f.file.replace(/\.csv$/, '') as EntityName);
      const spec = specOf((entities[entity].schema.shape as unknown as Record<string, ZodType>)[f.column]!);
      switch (f.fault as DemoFault['fault']) {
        case 'bad_date':
          if (f.file === PAYROLL) expect(value, where).toMatch(/^令和\d+年(1[3-9]|[2-9]\d)月$/);
          else expect(isRealDate(tidy(value!)), where).toBe(false);
          break;
        case 'unknown_participant':
          expect(participants.has(value!), where).toBe(false);
          break;
        case 'duplicate':
          expect(t.rows.slice(0, f.row - 2).some((r) => r.join('\u0000') === row!.join('\u0000')), where).toBe(true);
          break;
        case 'bad_enum':
          expect(spec.values, where).not.toContain(value);
          expect(Object.keys(spec.valueAliases ?? {}), where).not.toContain(value);
          break;
        case 'bad_municipality_check_digit':
          expect(value, where).toMatch(/^\d{6}$/);
          expect(municipalityCheckDigit(value!.slice(0, 5)), where).not.toBe(Number(value![5]));
          break;
        case 'missing_required':
          expect(value, where).toBe('');
          expect(spec.optional, where).toBe(false);
          break;
        case 'negative_amount':
          expect(Number(tidy(value!)), where).toBeLessThan(0);
          expect(spec.constraint, where).toBe('at least 0');
          break;
        case 'bad_number':
          expect(tidy(value!), where).not.toMatch(/^-?\d+$/);
          break;
      }
    }
  });

  it('the untidy spellings of valid values load through the contract normalisers, and the faulty ones do not', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await installNormalisers(conn);
      const parse = async (macro: string, v: string) => {
        const r = await conn.runAndReadAll(`SELECT ${macro}($v)::VARCHAR AS r`, { v });
        return (r.getRowObjectsJson()[0] as { r: string | null }).r;
      };
      const faultCells = new Set(dirty.manifest.faults.map((f) => `${f.file}:${f.row}:${f.column}`));
      let untidy = 0;
      for (const name of entityNames) {
        for (const [column, spec] of columnSpecs(name)) {
          const macro = { yen: 'parse_yen', int: 'parse_int', date: 'parse_date' }[spec.kind as string];
          if (!macro) continue;
          const i = dirty.t[name].header.indexOf(column);
          for (const [r, row] of dirty.t[name].rows.entries()) {
            const raw = row[i]!;
            if (raw === '' || /^-?\d+$/.test(raw) || (spec.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(raw) && isRealDate(raw))) continue;
            const at = `${name}.csv:${r + 2}:${column}`;
            const parsed = await parse(macro, raw);
            if (faultCells.has(at)) {
              expect(parsed, at).toBeNull();
            } else {
              untidy++;
              expect(parsed, `${at} ${raw}`).toBe(tidy(raw));
            }
          }
        }
      }
      expect(untidy).toBeGreaterThan(10);
      const payroll = readTable(dirty.dir, PAYROLL, 'shift_jis');
      const first = payroll.rows.find((_, i) => !faultsIn(PAYROLL).some((f) => f.row === i + 2))!;
      expect(await parse('parse_month', first[1]!)).toBe('2026-10-01');
      expect(await parse('parse_yen', first[2]!)).toMatch(/^\d+$/);
      expect(await parse('parse_bool', first[4]!)).toBe('true');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });

  it('a clean run into a folder that held a dirty run removes the stale payroll export', async () => {
    const dir = freshDir();
    await generateDemo({ participants: 50, seed: 1, outDir: dir, dirty: true });
    expect(existsSync(join(dir, PAYROLL))).toBe(true);
    await generateDemo({ participants: 50, seed: 1, outDir: dir, dirty: false });
    expect(existsSync(join(dir, PAYROLL))).toBe(false);
  });
});
