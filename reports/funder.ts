// The funder's report on the Career Impact Bond fund and the programme's outcomes, for one period
// (usually a quarter). Data from the CIB, impact and SIB marts through reports/funder-sql.ts.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Content } from 'pdfmake/interfaces.js';
import { queryRows } from '../pipelines/db/connection.ts';
import { assertPublishable } from '../pipelines/privacy/differencing.ts';
import { suppressionK, suppressTable, type PublishedTable } from '../pipelines/privacy/disclosure.ts';
import { horizontalBars, percentileBand } from './charts.ts';
import { common, count, funderText, type Lang, percent, periodText, yen } from './i18n.ts';
import { chart, cover, dataTable, heading, note, publishedCount, reportDocument, sourcesTable } from './layout.ts';
import { funderSql } from './funder-sql.ts';
import type { Period } from './period.ts';
import { renderPdf } from './pdf.ts';
import type { Snapshot } from './snapshot.ts';
import type { ReportOptions } from './municipal.ts';

type FundRow = Record<string, number | null>;
interface ProjectionRow { measure: string; year: number | null; p10: number; p50: number; p90: number }
interface FunnelRow { breakdown: string; group_value: string; stage_order: number; stage: string; people: number; share_of_enrolled: number | null }
interface PlacementRow { horizon_days: number; eligible: number; placed: number; placement_rate: number | null }
export interface SibRow { contract_id: string; achieved: number; paid_jpy: number; paid_to_date_jpy: number; payment_cap_jpy: number; investor_xirr: number | null; money_multiple: number | null }

export interface FunderData {
  period: Period;
  snapshot: Snapshot;
  fund: FundRow | null;
  collectedInPeriod: number;
  projection: ProjectionRow[];
  funnel: FunnelRow[];
  placement: PlacementRow[];
  sib: SibRow[];
}

export async function loadFunderData(conn: DuckDBConnection, period: Period, snapshot: Snapshot): Promise<FunderData> {
  if (period.start > snapshot.asOf) {
    throw new Error(`The period ${period.text} starts after the warehouse's as-of date ${snapshot.asOf}: build the warehouse as of a later date first.`);
  }
  const range = { start: period.start, end: period.end };
  const [fund] = await queryRows<FundRow>(conn, funderSql.fund);
  const [collected] = await queryRows<{ collected_jpy: number }>(conn, funderSql.collectedInPeriod, range);
  return {
    period,
    snapshot,
    fund: fund ?? null,
    collectedInPeriod: collected?.collected_jpy ?? 0,
    projection: await queryRows<ProjectionRow>(conn, funderSql.projection),
    funnel: await queryRows<FunnelRow>(conn, funderSql.funnel),
    placement: await queryRows<PlacementRow>(conn, funderSql.placement),
    sib: await queryRows<SibRow>(conn, funderSql.sib, range),
  };
}

const STATUSES = ['training', 'grace', 'repaying', 'deferred', 'unreported', 'completed_cap', 'completed_payments', 'expired', 'withdrawn'];

/** The report's suppressed tables, with the linkage a reader can subtract along (differencing.ts). */
export function funderTables(d: FunderData): Record<string, PublishedTable> {
  const all = d.funnel.filter((r) => r.breakdown === 'all');
  const stages = all.map((r) => r.stage);
  const funnel = suppressTable(all.map((r) => ({ stage: r.stage, people: r.people, share: r.share_of_enrolled })), { cells: { people: { covers: 'people' }, share: { covers: 'people' } } });
  const byTrackRows = [...new Set(d.funnel.filter((r) => r.breakdown === 'track').map((r) => r.group_value))].map((g) => {
    const row: Record<string, unknown> = { track: g };
    for (const r of d.funnel.filter((x) => x.breakdown === 'track' && x.group_value === g)) row[r.stage] = r.people;
    return row;
  });
  // The tracks of each stage add up to the overall count printed above.
  const track = suppressTable(byTrackRows, {
    cells: Object.fromEntries(stages.map((s) => [s, { covers: s }])),
    margins: [[]],
    sums: stages.map((s) => ({ parts: {}, by: [], total: { table: 'funnel', where: { stage: s }, columns: { [s]: 'people' } } })),
  });
  const placement = suppressTable(d.placement.map((p) => ({ ...p })), { cells: { eligible: { covers: 'eligible' }, placed: { covers: 'placed' }, placement_rate: { covers: 'eligible', reveals: ['placed'] } } });
  return { funnel, track, placement };
}

export function funderDocument(d: FunderData, opts: ReportOptions) {
  const { lang } = opts;
  const t = funderText[lang];
  const c = common[lang];
  const f = d.fund;
  const num = (k: string) => Number(f?.[k] ?? 0);

  const coverPage = cover(t, [], d.period, d.snapshot, opts, lang);

  const fund: Content[] = [
    heading(t.fund, 'h1', true),
    dataTable(t.fundColumns, [
      [t.agreements, count(num('agreements'))],
      [t.openAgreements, count(num('open_agreements'))],
      [t.funded, yen(num('funded_amount_jpy'), lang)],
      [t.collectedPeriod, yen(d.collectedInPeriod, lang)],
      [t.collected, yen(num('collected_jpy'), lang)],
      [t.recovery, percent(f?.recovery_rate ?? null)],
      [t.arrears, yen(num('arrears_jpy'), lang)],
      [t.agreementsInArrears, count(num('agreements_in_arrears'))],
      [t.forgiven, yen(num('forgiven_jpy'), lang)],
      [t.averageCost, yen(num('average_training_cost_jpy'), lang)],
      [t.payForward, num('pay_forward_multiplier').toFixed(1)],
    ], { widths: ['*', 140], numeric: [1] }),
    heading(t.statusHeading, 'h2'),
    dataTable(t.statusColumns, STATUSES.map((s) => [t.status[s] ?? s, percent(f?.[s] ?? null)]), { widths: ['*', 140], numeric: [1] }),
  ];

  const finalRecovery = d.projection.find((p) => p.measure === 'final_recovery_rate');
  const finalCollected = d.projection.find((p) => p.measure === 'final_collected_jpy');
  const balance = d.projection.filter((p) => p.measure === 'fund_balance_jpy' && p.year !== null).map((p) => ({ year: p.year!, p10: p.p10, p50: p.p50, p90: p.p90 }));
  const projection: Content[] = [heading(t.projection)];
  const projectionRows: string[][] = [];
  if (finalRecovery) projectionRows.push([t.finalRecovery, percent(finalRecovery.p10), percent(finalRecovery.p50), percent(finalRecovery.p90)]);
  if (finalCollected) projectionRows.push([t.finalCollected, yen(finalCollected.p10, lang), yen(finalCollected.p50, lang), yen(finalCollected.p90, lang)]);
  projection.push(dataTable(t.projectionColumns, projectionRows, { widths: ['*', 90, 90, 90], numeric: [1, 2, 3] }));
  if (balance.length > 1) projection.push(chart(t.chartBalance, percentileBand(balance, { yLabel: lang === 'ja' ? '百万円' : '¥ million', width: 640, height: 210 })));

  const tables = funderTables(d);
  assertPublishable(tables, Object.keys(tables), `The funder report ${d.period.text}`);
  const { funnel: overall, track: byTrack, placement } = tables as Record<'funnel' | 'track' | 'placement', PublishedTable>;
  const stages = overall.rows.map((r) => String(r.stage));
  const programme: Content[] = [
    heading(t.programme, 'h1', true),
    note(c.suppressionNote(suppressionK())),
    chart(t.funnelChart, horizontalBars(overall.rows.filter((r) => r.people !== null).map((r) => ({ label: t.stages[String(r.stage)] ?? String(r.stage), value: Number(r.people) })), { xLabel: t.people, width: 640, height: 200 })),
    dataTable(t.funnelColumns, overall.rows.map((r) => [t.stages[String(r.stage)] ?? String(r.stage), publishedCount(r.people, overall, lang), r.share === null ? c.suppressed(overall.k) : percent(Number(r.share))]), { widths: ['*', 90, 110], numeric: [1, 2] }),
    heading(t.byTrack, 'h2'),
    dataTable([t.track, ...stages.map((s) => t.stages[s] ?? s)], byTrack.rows.map((r) => [String(r.track), ...stages.map((s) => publishedCount(r[s], byTrack, lang))]), {
      widths: [90, ...stages.map(() => '*')], numeric: stages.map((_, i) => i + 1), fontSize: 7.5,
    }),
    heading(t.placement, 'h2'),
    dataTable(t.placementColumns, placement.rows.map((p) => [t.days(Number(p.horizon_days)), publishedCount(p.eligible, placement, lang), publishedCount(p.placed, placement, lang), p.placement_rate === null ? c.suppressed(placement.k) : percent(Number(p.placement_rate))]), {
      widths: ['*', 90, 90, 90], numeric: [1, 2, 3],
    }),
  ];

  const sib: Content[] = [
    heading(t.sib),
    dataTable(t.sibColumns, d.sib.map((s) => [s.contract_id, count(s.achieved), yen(s.paid_jpy, lang), yen(s.paid_to_date_jpy, lang), yen(s.payment_cap_jpy, lang), percent(s.investor_xirr), s.money_multiple === null ? '—' : s.money_multiple.toFixed(2)]), {
      widths: [110, 44, '*', '*', '*', 44, 36], numeric: [1, 2, 3, 4, 5, 6], fontSize: 7.5,
    }),
  ];

  const annex: Content[] = [heading(t.annex, 'h1', true), ...sourcesTable(d.snapshot, null, lang)];

  return reportDocument({
    lang,
    title: `${t.title} ${d.period.text}`,
    runningHead: `${t.title} ・ ${periodText(d.period, lang)}`,
    snapshot: d.snapshot,
    content: [...coverPage, ...fund, ...projection, ...programme, ...sib, ...annex],
  });
}

export async function renderFunderReport(d: FunderData, opts: ReportOptions): Promise<Buffer> {
  return renderPdf(funderDocument(d, opts), opts.issuedOn);
}
