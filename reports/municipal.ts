// The municipal outcome report: one SIB contract, one period. The data come from the SIB marts
// through reports/municipal-sql.ts; this module only arranges and formats them (docs/reports.md
// says where every number comes from).
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Content } from 'pdfmake/interfaces.js';
import { queryRows } from '../pipelines/db/connection.ts';
import { assertPublishable } from '../pipelines/privacy/differencing.ts';
import { suppressionK, suppressTable, type PublishedTable, type SumDeclaration } from '../pipelines/privacy/disclosure.ts';
import { CATEGORY_COLOURS, cumulativeAgainstCap, monthlyBars, monthsBetween } from './charts.ts';
import { common, count, GENDER, KIND, type Lang, municipalText, outcomeDefinition, percent, periodText, RESIDENCE, yen } from './i18n.ts';
import { chart, cover, dataTable, heading, keyValueTable, legend, note, publishedCount, reportDocument, sourcesTable } from './layout.ts';
import { municipalSql } from './municipal-sql.ts';
import { municipalityName } from './municipalities.ts';
import type { Period } from './period.ts';
import { renderPdf } from './pdf.ts';
import type { Snapshot } from './snapshot.ts';

export interface ContractRow {
  contract_id: string;
  municipality_code: string;
  name: string;
  start_date: string;
  end_date: string;
  payment_cap_jpy: number;
}

export interface RateCardRow {
  outcome_code: string;
  kind: string;
  parameter: number;
  price_jpy: number;
  max_count: number | null;
}

export interface OutcomeFigures {
  outcome_code: string;
  achieved: number;
  paid_count: number;
  paid_jpy: number;
  removed_by_max_count: number;
  removed_by_max_count_jpy: number;
  removed_by_cap_jpy: number;
  achieved_before: number;
  achieved_to_date: number;
  paid_count_to_date: number;
  paid_to_date_jpy: number;
  removed_by_max_count_to_date_jpy: number;
  removed_by_cap_to_date_jpy: number;
}

export interface AuditLine {
  payment_order: number;
  participant_id: string;
  outcome_code: string;
  referred_on: string;
  evidence_on: string;
  achieved_on: string;
  price_jpy: number;
  paid_jpy: number;
  removed_by_max_count_jpy: number;
  removed_by_cap_jpy: number;
  cumulative_paid_jpy: number;
}

/** `checkpoint`: the count at the group's last checkpoint on or before the period's end (checkpointValue). */
type GroupCount = { group_value: string; outcome_code: string; people: number; checkpoint: number };
type MonthCount = { group_value: string; outcome_code: string; month: string; people: number };

/**
 * The breakdowns count outcomes to the end of the period, and reports exist for every month, quarter and
 * fiscal year: one report's count minus another's is the people of a group who achieved an outcome in
 * between. So a cell moves only in steps of at least k: reading the months from the contract's start, a
 * month is a checkpoint when the count has grown by k or more since the last one, and a report shows a
 * count only when it is still the last checkpoint's (otherwise it is hidden). Every count shown, in any
 * report, is a checkpoint's, and two checkpoints differ by 0 or at least k.
 */
export function checkpointValue(monthly: readonly number[], k: number): number {
  let last = 0;
  let total = 0;
  for (const people of monthly) {
    total += people;
    if (total - last >= k) last = total;
  }
  return last;
}

/** Each group's count with its checkpoint (the months are those with a first achievement, in order). */
function withCheckpoints(counts: readonly Omit<GroupCount, 'checkpoint'>[], months: readonly MonthCount[], k: number): GroupCount[] {
  return counts.map((c) => {
    const series = months.filter((m) => m.group_value === c.group_value && m.outcome_code === c.outcome_code).sort((a, b) => a.month.localeCompare(b.month));
    return { ...c, checkpoint: checkpointValue(series.map((m) => m.people), k) };
  });
}

export interface MunicipalData {
  period: Period;
  snapshot: Snapshot;
  contract: ContractRow;
  rateCard: RateCardRow[];
  figures: OutcomeFigures[];
  cap: { paid_before_jpy: number; paid_to_date_jpy: number };
  referrals: { referred: number; referred_before: number };
  monthly: Array<{ period: string; outcome_code: string; achieved: number; paid_jpy: number; contract_paid_to_date_jpy: number }>;
  audit: AuditLine[];
  byGender: GroupCount[];
  byResidence: GroupCount[];
  byTrack: GroupCount[];
  referralsByCohort: GroupCount[];
}

export async function listContracts(conn: DuckDBConnection): Promise<ContractRow[]> {
  return queryRows<ContractRow>(conn, municipalSql.contracts);
}

/** Everything the report prints for one contract and period, read from a read-only warehouse connection. */
export async function loadMunicipalData(conn: DuckDBConnection, contracts: readonly ContractRow[], contractId: string, period: Period, snapshot: Snapshot): Promise<MunicipalData> {
  const contract = contracts.find((c) => c.contract_id === contractId);
  if (!contract) {
    throw new Error(`There is no SIB contract "${contractId}" in the warehouse (contracts: ${contracts.map((c) => c.contract_id).join(', ') || 'none'}).`);
  }
  if (period.start > snapshot.asOf) {
    throw new Error(`The period ${period.text} starts after the warehouse's as-of date ${snapshot.asOf}: build the warehouse as of a later date first.`);
  }
  const params = { contract: contractId, start: period.start, end: period.end };
  // DuckDB refuses a value for a parameter the statement does not use: pass only those it names.
  const q = <T>(sql: string) => queryRows<T>(conn, sql, Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`$${k}`))));
  // One query at a time: a DuckDB connection runs one statement at once.
  const rateCard = await q<RateCardRow>(municipalSql.rateCard);
  const figures = await q<OutcomeFigures>(municipalSql.outcomeFigures);
  const [cap] = await q<MunicipalData['cap']>(municipalSql.capUsage);
  const [referrals] = await q<MunicipalData['referrals']>(municipalSql.referrals);
  const monthly = await q<MunicipalData['monthly'][number]>(municipalSql.monthly);
  const audit = await q<AuditLine>(municipalSql.audit);
  const by = async (attribute: 'gender' | 'residence_status' | 'track') =>
    withCheckpoints(await q<GroupCount>(municipalSql.outcomesBy(attribute)), await q<MonthCount>(municipalSql.outcomesByMonth(attribute)), suppressionK());
  const byGender = await by('gender');
  const byResidence = await by('residence_status');
  const byTrack = await by('track');
  const referralMonths = await q<Omit<MonthCount, 'outcome_code'>>(municipalSql.referralsByCohortMonth);
  const referralsByCohort = withCheckpoints(
    (await q<{ group_value: string; people: number }>(municipalSql.referralsByCohort)).map((r) => ({ ...r, outcome_code: '' })),
    referralMonths.map((m) => ({ ...m, outcome_code: '' })), suppressionK(),
  );
  return {
    period, snapshot, contract, rateCard, figures, cap: cap!, referrals: referrals!, monthly, audit,
    byGender, byResidence, byTrack, referralsByCohort,
  };
}

export interface ReportOptions {
  lang: Lang;
  /** YYYY-MM-DD: printed on the cover and written as the PDF's creation date. */
  issuedOn: string;
  issuer?: string;
}

/** The summary figures, as the report prints them (also what the tests read back). */
export function municipalSummary(d: MunicipalData) {
  const sum = (k: keyof OutcomeFigures) => d.figures.reduce((a, f) => a + (f[k] as number), 0);
  const cap = d.contract.payment_cap_jpy;
  return {
    achievedPeriod: sum('achieved'),
    achievedToDate: sum('achieved_to_date'),
    paymentDue: sum('paid_jpy'),
    paidBefore: d.cap.paid_before_jpy,
    paidToDate: d.cap.paid_to_date_jpy,
    cap,
    capRemaining: cap - d.cap.paid_to_date_jpy,
    capUsed: cap > 0 ? d.cap.paid_to_date_jpy / cap : null,
    referralsToDate: d.referrals.referred,
    referralsPeriod: d.referrals.referred - d.referrals.referred_before,
  };
}

/** Outcomes by a participant attribute, one row per group and one column per outcome code, disclosure controlled. */
function breakdown(rows: readonly GroupCount[], codes: readonly string[]): PublishedTable<Record<string, unknown>> {
  const groups = [...new Set(rows.map((r) => r.group_value))].sort();
  const wide = groups.map((g) => {
    const row: Record<string, unknown> = { group: g };
    for (const c of codes) row[c] = rows.find((r) => r.group_value === g && r.outcome_code === c)?.people ?? 0;
    return row;
  });
  // Each column adds up to its outcome's total to date, printed in section 2.
  const sums: SumDeclaration[] = codes.map((c) => ({ parts: {}, by: [], total: { table: 'outcomes', where: { outcome_code: c }, columns: { [c]: 'achieved_to_date' } } }));
  // A count that has moved since its last checkpoint is hidden (checkpointValue): reports of other periods would give the change.
  const forced = wide.flatMap((row, i) => codes.filter((c) => {
    const r = rows.find((x) => x.group_value === row.group && x.outcome_code === c);
    return r !== undefined && r.people !== r.checkpoint;
  }).map((column) => ({ row: i, column })));
  return suppressTable(wide, { cells: Object.fromEntries(codes.map((c) => [c, { covers: c }])), margins: [[]], sums }, { forced });
}

/**
 * Everything in the report a reader can subtract: the suppressed breakdown tables, and the totals
 * printed unsuppressed beside them (outcomes to date per code, referrals to date), which the contract
 * publishes to the municipality by design. The differencing checker reads them together.
 */
export function municipalTables(d: MunicipalData): Record<string, PublishedTable> {
  const codes = d.rateCard.map((o) => o.outcome_code);
  const printed = (rows: Record<string, unknown>[], columns: string[]): PublishedTable => ({
    k: suppressionK(), cells: Object.fromEntries(columns.map((c) => [c, { covers: c }])), margins: [], sums: [], series: [], rows,
    suppressed: { primary: 0, complementary: 0 },
  });
  return {
    outcomes: printed(d.figures.map((f) => ({ outcome_code: f.outcome_code, achieved_to_date: f.achieved_to_date })), ['achieved_to_date']),
    referrals: printed([{ referred: d.referrals.referred }], ['referred']),
    gender: breakdown(d.byGender, codes),
    residence_status: breakdown(d.byResidence, codes),
    track: breakdown(d.byTrack, codes),
    cohort: suppressTable(d.referralsByCohort.map((r) => ({ group: r.group_value, people: r.people })), {
      cells: { people: { covers: 'people' } },
      margins: [[]],
      // The cohorts add up to the referrals to date of the summary.
      sums: [{ parts: {}, by: [], total: { table: 'referrals', columns: { people: 'referred' } } }],
    // Referrals to date move across reports only in steps of at least k, as the outcome breakdowns do.
    }, { forced: d.referralsByCohort.flatMap((r, row) => (r.people !== r.checkpoint ? [{ row, column: 'people' }] : [])) }),
  };
}

function breakdownContent(title: string, table: PublishedTable, codes: readonly string[], label: (g: string) => string, lang: Lang): Content[] {
  const t = municipalText[lang];
  return [
    heading(title, 'h2'),
    dataTable([t.group, ...codes], table.rows.map((r) => [label(String(r.group)), ...codes.map((c) => publishedCount(r[c], table, lang))]), {
      widths: [150, ...codes.map(() => '*')],
      numeric: codes.map((_, i) => i + 1),
    }),
  ];
}

export function municipalDocument(d: MunicipalData, opts: ReportOptions) {
  const { lang } = opts;
  const t = municipalText[lang];
  const c = common[lang];
  const s = municipalSummary(d);
  const codes = d.rateCard.map((o) => o.outcome_code);
  const colour = (code: string) => CATEGORY_COLOURS[codes.indexOf(code) % CATEGORY_COLOURS.length]!;
  const contractPeriod = `${d.contract.start_date} 〜 ${d.contract.end_date}`;

  const coverPage = cover(t, [
    [t.contract, d.contract.name],
    [t.contractId, d.contract.contract_id],
    [t.municipality, municipalityName(d.contract.municipality_code, lang)],
    [t.contractTerm, contractPeriod],
  ], d.period, d.snapshot, opts, lang);

  const summary: Content[] = [
    heading(t.summary, 'h1', true),
    dataTable(t.summaryColumns, [
      [t.achievedPeriod, count(s.achievedPeriod)],
      [t.achievedToDate, count(s.achievedToDate)],
      [t.paymentDue, yen(s.paymentDue, lang)],
      [t.paidBefore, yen(s.paidBefore, lang)],
      [t.paidToDate, yen(s.paidToDate, lang)],
      [t.cap, yen(s.cap, lang)],
      [t.capRemaining, yen(s.capRemaining, lang)],
      [t.capUsed, percent(s.capUsed)],
      [t.referralsToDate, count(s.referralsToDate)],
      [t.referralsPeriod, count(s.referralsPeriod)],
    ], { widths: ['*', 140], numeric: [1] }),
  ];
  if (d.referrals.referred === 0) summary.push(note(t.noReferrals));
  else if (s.achievedPeriod === 0) summary.push(note(t.noneThisPeriod));

  const outcomes: Content[] = [heading(t.outcomes)];
  for (const o of d.rateCard) {
    const f = d.figures.find((x) => x.outcome_code === o.outcome_code)!;
    outcomes.push({
      stack: [
        heading(t.outcomeHeading(o.outcome_code, KIND[lang][o.kind] ?? o.kind), 'h2'),
        keyValueTable([
          [t.definition, outcomeDefinition(o.kind, o.parameter, lang)],
          [t.price, yen(o.price_jpy, lang)],
          [t.maxCount, o.max_count === null ? t.noLimit : count(o.max_count)],
        ]),
        dataTable(t.outcomeColumns, [
          [t.eligible, count(d.referrals.referred - f.achieved_before), '—'],
          [t.achieved, count(f.achieved), count(f.achieved_to_date)],
          [t.paidCount, count(f.paid_count), count(f.paid_count_to_date)],
          [t.amount, yen(f.paid_jpy, lang), yen(f.paid_to_date_jpy, lang)],
          [t.removedMax, yen(f.removed_by_max_count_jpy, lang), yen(f.removed_by_max_count_to_date_jpy, lang)],
          [t.removedCap, yen(f.removed_by_cap_jpy, lang), yen(f.removed_by_cap_to_date_jpy, lang)],
        ], { widths: ['*', 90, 110], numeric: [1, 2] }),
      ],
      unbreakable: true,
    });
  }

  const months = monthsBetween(d.contract.start_date.slice(0, 8) + '01', (d.period.end < d.snapshot.asOf ? d.period.end : d.snapshot.asOf).slice(0, 8) + '01');
  const cumulative = new Map<string, number>();
  for (const m of d.monthly) cumulative.set(m.period, m.contract_paid_to_date_jpy);
  const charts: Content[] = [
    heading(t.charts, 'h1', true),
    chart(t.chartOutcomes, monthlyBars(
      d.monthly.map((m) => ({ period: m.period, series: m.outcome_code, value: m.achieved })),
      { months, series: codes, highlight: { start: d.period.start, end: d.period.end }, yLabel: t.outcomesAxis, width: 640, height: 230 },
    )),
    legend(codes.map((code) => ({ label: code, colour: colour(code) }))),
    chart(t.chartCap, cumulativeAgainstCap([...cumulative].map(([period, value]) => ({ period, value })), {
      cap: d.contract.payment_cap_jpy, months, capLabel: t.capLabel, yLabel: t.millionYen, width: 640, height: 210,
    })),
  ];

  const label = (dict: Record<string, string>) => (g: string) => dict[g] ?? g;
  const tables = municipalTables(d);
  assertPublishable(tables, ['gender', 'residence_status', 'track', 'cohort'], `The municipal report ${d.contract.contract_id} ${d.period.text}`);
  const breakdowns: Content[] = [heading(t.breakdowns, 'h1', true), note(c.suppressionNote(suppressionK()))];
  if (s.achievedToDate > 0) {
    breakdowns.push(
      ...breakdownContent(t.byGender, tables.gender!, codes, label(GENDER[lang]), lang),
      ...breakdownContent(t.byResidence, tables.residence_status!, codes, label(RESIDENCE[lang]), lang),
      ...breakdownContent(t.byTrack, tables.track!, codes, (g) => g, lang),
    );
  } else {
    breakdowns.push(note(t.noneToDate));
  }
  const cohorts = tables.cohort!;
  breakdowns.push(heading(t.byCohort, 'h2'));
  if (cohorts.rows.length === 0) breakdowns.push(note(t.noReferrals));
  else breakdowns.push(dataTable([t.group, t.referrals], cohorts.rows.map((r) => [String(r.group), publishedCount(r.people, cohorts, lang)]), { widths: ['*', 120], numeric: [1] }));

  const annex: Content[] = [
    heading(t.annex, 'h1', true),
    heading(t.annexDefinitions, 'h2'),
    { ul: [...t.rules], margin: [0, 0, 0, 6] },
    keyValueTable(d.rateCard.map((o) => [o.outcome_code, outcomeDefinition(o.kind, o.parameter, lang)] as const), [90, '*']),
    heading(t.annexSources, 'h2'),
    ...sourcesTable(d.snapshot, ['participants', 'cohorts', 'enrollments', 'employment', 'income', 'sib_contracts', 'sib_outcomes', 'sib_referrals'], lang),
    heading(t.annexAudit, 'h2'),
    note(t.auditNote),
  ];
  if (d.audit.length === 0) annex.push(note(t.auditEmpty));
  else {
    const total = d.audit.reduce((a, l) => ({ price: a.price + l.price_jpy, paid: a.paid + l.paid_jpy, max: a.max + l.removed_by_max_count_jpy, cap: a.cap + l.removed_by_cap_jpy }), { price: 0, paid: 0, max: 0, cap: 0 });
    annex.push(dataTable(t.auditColumns, [
      ...d.audit.map((l) => [count(l.payment_order), l.participant_id, l.outcome_code, l.referred_on, l.achieved_on, yen(l.price_jpy, lang), yen(l.paid_jpy, lang), yen(l.removed_by_max_count_jpy, lang), yen(l.removed_by_cap_jpy, lang)]),
      [c.total, count(d.audit.length), '', '', '', yen(total.price, lang), yen(total.paid, lang), yen(total.max, lang), yen(total.cap, lang)],
    ], { widths: [20, 140, 50, 42, 42, '*', '*', '*', '*'], numeric: [0, 5, 6, 7, 8], fontSize: 6.5, totalRow: true, compact: true }));
  }

  return reportDocument({
    lang,
    title: `${t.title} ${d.contract.contract_id} ${d.period.text}`,
    runningHead: `${t.title} ・ ${d.contract.contract_id} ・ ${periodText(d.period, lang)}`,
    snapshot: d.snapshot,
    content: [...coverPage, ...summary, ...outcomes, ...charts, ...breakdowns, ...annex],
  });
}

export async function renderMunicipalReport(d: MunicipalData, opts: ReportOptions): Promise<Buffer> {
  return renderPdf(municipalDocument(d, opts), opts.issuedOn);
}
