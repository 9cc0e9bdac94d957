// Charts for the PDF reports: Observable Plot rendered to SVG server-side on a linkedom document,
// then made safe for pdfmake's SVG renderer (no CSS, no currentColor, the report's font).
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { FONT_FAMILY } from './fonts.ts';

const { document } = parseHTML('<!DOCTYPE html><html><head></head><body></body></html>');

export const INK = '#333333';
/** Colours for categories (outcome codes, tracks): Tableau 10, readable in print and in grey. */
export const CATEGORY_COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export const PERIOD_SHADE = '#fde9c9';

export interface ChartSize {
  width: number;
  height: number;
}

/** A Plot figure as SVG text pdfmake can draw. */
export function plotSvg(options: Plot.PlotOptions): string {
  const node = Plot.plot({ ...options, document: document as unknown as Document, style: { fontFamily: FONT_FAMILY, fontSize: '9px', background: 'white', color: INK } });
  return cleanSvg((node as unknown as { outerHTML: string }).outerHTML);
}

/** Drops Plot's stylesheet, resolves currentColor and names the report font (pdfmake only knows its own fonts). */
export function cleanSvg(svg: string): string {
  return svg
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replaceAll('currentColor', INK)
    .replace(/font-family="[^"]*"/g, `font-family="${FONT_FAMILY}"`)
    .replace(/font-family:[^;"]*/g, `font-family:${FONT_FAMILY}`);
}

export interface MonthlyCount {
  /** First day of the month. */
  period: string;
  series: string;
  value: number;
}

const monthDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const monthLabel = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

/** Every month from `from` to `to` (first days), so that months without outcomes show as gaps. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  while (`${y}-${String(m).padStart(2, '0')}-01` <= to) {
    out.push(`${y}-${String(m).padStart(2, '0')}-01`);
    if (++m > 12) ((m = 1), y++);
  }
  return out;
}

/** Stacked monthly bars (outcomes achieved per month by code), the report's period shaded. */
export function monthlyBars(
  rows: readonly MonthlyCount[],
  opts: { months: string[]; series: string[]; highlight: { start: string; end: string }; yLabel: string } & ChartSize,
): string {
  const months = opts.months.map(monthDate);
  const shade = months.filter((d) => {
    const iso = d.toISOString().slice(0, 10);
    return iso >= opts.highlight.start.slice(0, 8) + '01' && iso <= opts.highlight.end;
  });
  const every = Math.max(1, Math.ceil(months.length / 12));
  return plotSvg({
    width: opts.width,
    height: opts.height,
    marginLeft: 44,
    x: { type: 'band', domain: months, tickFormat: monthLabel, ticks: months.filter((_, i) => i % every === 0), label: null, tickRotate: -30 },
    y: { grid: true, label: opts.yLabel, nice: true },
    color: { domain: opts.series, range: CATEGORY_COLOURS },
    marks: [
      Plot.barY(shade, { x: (d: Date) => d, y: () => Math.max(1, ...totalsByMonth(rows).values()), fill: PERIOD_SHADE, inset: 0 }),
      Plot.barY(rows.map((r) => ({ ...r, month: monthDate(r.period) })), { x: 'month', y: 'value', fill: 'series', order: opts.series }),
      Plot.ruleY([0]),
    ],
  });
}

function totalsByMonth(rows: readonly MonthlyCount[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.period, (totals.get(r.period) ?? 0) + r.value);
  return totals;
}

/** A cumulative amount as a step line against a ceiling (the payment cap), in millions of yen. */
export function cumulativeAgainstCap(
  points: ReadonlyArray<{ period: string; value: number }>,
  opts: { cap: number; months: string[]; capLabel: string; yLabel: string } & ChartSize,
): string {
  const byMonth = new Map(points.map((p) => [p.period, p.value]));
  let last = 0;
  const series = opts.months.map((m) => {
    last = byMonth.get(m) ?? last;
    return { month: monthDate(m), value: last / 1e6 };
  });
  const cap = opts.cap / 1e6;
  return plotSvg({
    width: opts.width,
    height: opts.height,
    marginLeft: 44,
    marginRight: 20,
    x: { type: 'utc', label: null },
    y: { grid: true, label: opts.yLabel, domain: [0, Math.max(cap, ...series.map((s) => s.value)) * 1.1] },
    marks: [
      Plot.areaY(series, { x: 'month', y: 'value', curve: 'step-after', fill: CATEGORY_COLOURS[0], fillOpacity: 0.25 }),
      Plot.lineY(series, { x: 'month', y: 'value', curve: 'step-after', stroke: CATEGORY_COLOURS[0], strokeWidth: 2 }),
      Plot.ruleY([cap], { stroke: CATEGORY_COLOURS[3], strokeDasharray: '4,3', strokeWidth: 1.5 }),
      Plot.text([cap], { y: (d: number) => d, x: series[0]?.month, text: () => opts.capLabel, textAnchor: 'start', dy: -6, fill: CATEGORY_COLOURS[3] }),
      Plot.ruleY([0]),
    ],
  });
}

/** Horizontal bars, one per label, in the order given (a funnel). */
export function horizontalBars(rows: ReadonlyArray<{ label: string; value: number }>, opts: { xLabel: string } & ChartSize): string {
  return plotSvg({
    width: opts.width,
    height: opts.height,
    marginLeft: 150,
    marginRight: 50,
    x: { grid: true, label: opts.xLabel, nice: true },
    y: { domain: rows.map((r) => r.label), label: null },
    marks: [
      Plot.barX(rows, { y: 'label', x: 'value', fill: CATEGORY_COLOURS[0] }),
      Plot.text(rows, { y: 'label', x: 'value', text: (d: { value: number }) => d.value.toLocaleString('en-US'), textAnchor: 'start', dx: 3 }),
      Plot.ruleX([0]),
    ],
  });
}

/** Percentile bands by year: P10–P90 as an area, the median as a line (the CIB fund projection). */
export function percentileBand(rows: ReadonlyArray<{ year: number; p10: number; p50: number; p90: number }>, opts: { yLabel: string } & ChartSize): string {
  const data = rows.map((r) => ({ year: r.year, p10: r.p10 / 1e6, p50: r.p50 / 1e6, p90: r.p90 / 1e6 }));
  return plotSvg({
    width: opts.width,
    height: opts.height,
    marginLeft: 50,
    marginRight: 20,
    x: { label: null, tickFormat: (y: number) => (Number.isInteger(y) ? String(y) : ''), ticks: data.map((d) => d.year) },
    y: { grid: true, label: opts.yLabel },
    marks: [
      Plot.areaY(data, { x: 'year', y1: 'p10', y2: 'p90', fill: CATEGORY_COLOURS[0], fillOpacity: 0.25 }),
      Plot.lineY(data, { x: 'year', y: 'p50', stroke: CATEGORY_COLOURS[0], strokeWidth: 2 }),
      Plot.ruleY([0]),
    ],
  });
}
