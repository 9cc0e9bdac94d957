// Chart and layout pieces shared by the pages: each takes data and options and returns an element.
// Plot and htl come from node_modules (bundled at build time), never from a CDN.
import * as Plot from '@observablehq/plot';
import { html } from 'htl';

/** A headline figure with its note and an optional sparkline. */
export function kpi({ title, value, note, spark, metric }) {
  return html`<div class="card kpi" data-kpi=${metric}>
    <h2>${title}</h2>
    <div class="kpi-value">${value}</div>
    ${spark ?? ''}
    <p class="kpi-note">${note}</p>
  </div>`;
}

/** A small line of how a figure developed; suppressed points are left out. */
export function sparkline(data, { x, y, label }) {
  const points = data.filter((d) => d[y] !== null && d[y] !== undefined);
  if (points.length < 2) return html`<div class="spark"></div>`;
  return Plot.plot({
    width: 220,
    height: 48,
    margin: 4,
    axis: null,
    x: { type: 'point' },
    y: { zero: false },
    marks: [Plot.lineY(points, { x, y, stroke: 'currentColor', strokeWidth: 1.5, className: 'sparkline' })],
    ariaLabel: label,
    ariaDescription: label,
    className: 'spark',
  });
}

/** A plain table whose suppressed cells say so. `columns` are [header, (row) => content] pairs. */
export function table(rows, columns, { name } = {}) {
  return html`<div class="table-wrap"><table class="data-table" data-table=${name}>
    <thead><tr>${columns.map(([header]) => html`<th>${header}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${columns.map(([, cell]) => html`<td>${cell(row)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

export function suppressionNote(t, k) {
  return html`<p class="suppression-note">${t('site.suppressionNote', { k })}</p>`;
}

/** "As of <date>", carrying the date for tests. */
export function asOfLine(t, meta) {
  return html`<span class="as-of" data-as-of=${meta.as_of}>${t('site.asOf', { date: meta.as_of })}</span>`;
}
