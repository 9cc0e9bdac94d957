// The parts every report shares: page setup, styles, the footer (snapshot hash, page x / y), tables
// that break across pages with their header repeated, charts, and the data-sources annex.
import type { Content, ContextPageSize, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { PublishedTable } from '../pipelines/privacy/disclosure.ts';
import { FONT_FAMILY } from './fonts.ts';
import { common, count, dateText, ENTITY, type Lang, periodRange, periodText } from './i18n.ts';
import type { Period } from './period.ts';
import type { Snapshot } from './snapshot.ts';

export const PAGE_WIDTH = 515; // A4 (595 pt) less 40 pt margins each side

export const STYLES: TDocumentDefinitions['styles'] = {
  title: { fontSize: 20, bold: true, margin: [0, 120, 0, 6] },
  subtitle: { fontSize: 11, color: '#555555', margin: [0, 0, 0, 30] },
  h1: { fontSize: 14, bold: true, margin: [0, 14, 0, 6] },
  h2: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
  note: { fontSize: 8, color: '#555555', margin: [0, 2, 0, 6] },
  tableHeader: { bold: true, fillColor: '#eeeeee' },
  small: { fontSize: 7 },
};

export interface DocumentParts {
  lang: Lang;
  title: string;
  /** Shown at the top of every page after the first. */
  runningHead: string;
  snapshot: Snapshot;
  content: Content[];
}

export function reportDocument(parts: DocumentParts): TDocumentDefinitions {
  const t = common[parts.lang];
  return {
    pageSize: 'A4',
    pageMargins: [40, 48, 40, 48],
    language: parts.lang,
    info: { title: parts.title, subject: parts.runningHead, keywords: `snapshot ${parts.snapshot.hash}` },
    defaultStyle: { font: FONT_FAMILY, fontSize: 9, lineHeight: 1.15 },
    styles: STYLES,
    header: (page: number) =>
      page === 1 ? null : { text: parts.runningHead, fontSize: 7, color: '#777777', margin: [40, 20, 40, 0] },
    footer: (page: number, pages: number, size: ContextPageSize) => ({
      margin: [40, 14, 40, 0],
      columns: [
        { text: `${t.snapshot}: ${parts.snapshot.hash}`, fontSize: 6.5, color: '#777777', width: size.width - 80 - 60 },
        { text: t.page(page, pages), alignment: 'right', fontSize: 8, width: 60 },
      ],
    }),
    pageBreakBefore: keepHeadingsWithNext,
    content: parts.content,
  };
}

/** A heading; headlineLevel marks it so that it never ends a page (see keepHeadingsWithNext). */
export const heading = (text: string, level: 'h1' | 'h2' = 'h1', pageBreak = false): Content =>
  pageBreak ? { text, style: level, pageBreak: 'before', headlineLevel: 1 } : { text, style: level, headlineLevel: 1 };

/** Moves a heading to the next page when it would sit in the last 15% of this one, or end it. */
const keepHeadingsWithNext: TDocumentDefinitions['pageBreakBefore'] = (node, following) =>
  node.headlineLevel === 1 && (node.startPosition.verticalRatio > 0.85 || following.getFollowingNodesOnPage().length === 0);

export const note = (text: string): Content => ({ text, style: 'note' });

export interface TableOptions {
  widths?: Array<number | string>;
  /** Columns aligned right (numbers). */
  numeric?: readonly number[];
  fontSize?: number;
  /** A last row in bold (a total). */
  totalRow?: boolean;
  /** Narrow cell padding, for wide tables. */
  compact?: boolean;
}

const COMPACT_LAYOUT = {
  hLineWidth: (i: number, node: { table: { headerRows?: number; body: unknown[] } }) => (i === 0 || i === node.table.body.length ? 0 : i === node.table.headerRows ? 1 : 0.5),
  vLineWidth: () => 0,
  hLineColor: (i: number) => (i === 1 ? '#000000' : '#aaaaaa'),
  paddingLeft: () => 2,
  paddingRight: () => 2,
  paddingTop: () => 1.5,
  paddingBottom: () => 1.5,
};

/** A table whose header row repeats on every page it spans and whose rows never split. */
export function dataTable(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, opts: TableOptions = {}): Content {
  const numeric = new Set(opts.numeric ?? []);
  const cell = (v: string | number, i: number, bold = false): TableCell => ({ text: String(v), alignment: numeric.has(i) ? 'right' : 'left', bold });
  const body: TableCell[][] = [
    header.map((h, i) => ({ text: h, style: 'tableHeader', alignment: numeric.has(i) ? 'right' : 'left' })),
    ...rows.map((r, j) => r.map((v, i) => cell(v, i, opts.totalRow === true && j === rows.length - 1))),
  ];
  return {
    table: { headerRows: 1, dontBreakRows: true, widths: opts.widths ?? header.map(() => '*'), body },
    layout: opts.compact ? COMPACT_LAYOUT : 'lightHorizontalLines',
    fontSize: opts.fontSize ?? 9,
    margin: [0, 2, 0, 8],
  };
}

/** Label–value pairs, without a header row. */
export function keyValueTable(rows: ReadonlyArray<readonly [string, string]>, widths: Array<number | string> = [150, '*']): Content {
  return {
    table: { dontBreakRows: true, widths, body: rows.map(([k, v]) => [{ text: k, bold: true }, { text: v }]) },
    layout: 'lightHorizontalLines',
    margin: [0, 2, 0, 8],
  };
}

/** An SVG chart with its caption, kept together on one page. */
export function chart(caption: string, svg: string, width = PAGE_WIDTH): Content {
  return { stack: [{ text: caption, style: 'h2' }, { svg, width }], unbreakable: true };
}

/** A legend for categorical colours, as text pdfmake can lay out. */
export function legend(items: ReadonlyArray<{ label: string; colour: string }>): Content {
  return { text: items.flatMap((it) => [{ text: '■ ', color: it.colour }, { text: `${it.label}    ` }]), fontSize: 8, margin: [0, 0, 0, 6] };
}

/** A published (disclosure-controlled) value: the number, or the suppression mark. */
export function publishedCount(value: unknown, table: PublishedTable, lang: Lang): string {
  return value === null || value === undefined ? common[lang].suppressed(table.k) : count(Number(value));
}

/** The loads behind the report: which data, when loaded, how many rows, and the file's sha256. */
export function sourcesTable(snapshot: Snapshot, entities: readonly string[] | null, lang: Lang): Content[] {
  const t = common[lang];
  const loads = snapshot.loads.filter((l) => entities === null || entities.includes(l.entity));
  return [
    dataTable(
      t.sourceColumns,
      loads.map((l) => [ENTITY[lang][l.entity] ?? l.entity, l.load_id, l.loaded_at, count(l.rows_loaded), l.sha256]),
      { widths: [62, 34, 62, 44, '*'], numeric: [1, 3], fontSize: 7 },
    ),
    note(t.buildFacts(snapshot.asOf, snapshot.buildId, snapshot.buildSha256)),
    note(`${t.snapshot}: ${snapshot.hash}`),
    note(t.snapshotRule),
  ];
}

/**
 * A report's cover: title, subtitle, the report's own `rows`, then the facts every cover ends with (period,
 * as-of date, issue date, issuer, snapshot hash), and a note when the period had not ended by the as-of date.
 */
export function cover(
  title: { title: string; subtitle: string },
  rows: Array<[string, string]>,
  period: Period,
  snapshot: Snapshot,
  issued: { issuedOn: string; issuer?: string },
  lang: Lang,
): Content[] {
  const c = common[lang];
  return [
    { text: title.title, style: 'title' },
    { text: title.subtitle, style: 'subtitle' },
    keyValueTable([
      ...rows,
      [c.period, `${periodText(period, lang)}  ${periodRange(period, lang)}`],
      [c.asOf, dateText(snapshot.asOf, lang)],
      [c.issuedOn, dateText(issued.issuedOn, lang)],
      [c.issuer, issued.issuer ?? c.issuerDefault],
      [c.snapshot, snapshot.hash],
    ], [110, '*']),
    ...(period.end > snapshot.asOf ? [note(c.partialPeriod(snapshot.asOf))] : []),
  ];
}
