// Reading the published tables and showing their numbers: a suppressed value (null) is shown as
// "suppressed (<k)" / 「秘匿（k未満）」 wherever a number would be.
import { html } from 'htl';

/** A data file as published by pipelines/dashboard/publish.ts: {k, cells, margins, rows, suppressed}. */
export function parseTable(text) {
  const table = JSON.parse(text);
  if (!Array.isArray(table.rows) || typeof table.k !== 'number') throw new Error('not a published table');
  return table;
}

export function formats({ lang, t }, k) {
  const locale = lang === 'ja' ? 'ja-JP' : 'en-US';
  const integer = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const suppressed = t('site.suppressed', { k });
  const guard = (f) => (v) => (v === null || v === undefined || Number.isNaN(v) ? suppressed : f(v));
  const f = {
    suppressed,
    int: guard((v) => integer.format(v)),
    dec: guard((v) => decimal.format(v)),
    pct: guard((v) => percent.format(v)),
    yen: guard((v) => (lang === 'ja' ? `${integer.format(v)}円` : `¥${integer.format(v)}`)),
    yenCompact: guard((v) => (lang === 'ja' ? `${compact.format(v)}円` : `¥${compact.format(v)}`)),
    days: guard((v) => (lang === 'ja' ? `${integer.format(v)}日` : `${integer.format(v)} days`)),
    /** A number in a <span> that carries the raw value for tests and screen readers; suppressed values are marked as such. */
    value: (v, format, metric) =>
      v === null || v === undefined
        ? html`<span class="value suppressed" data-metric=${metric} data-suppressed="true">${suppressed}</span>`
        : html`<span class="value" data-metric=${metric} data-value=${String(v)}>${format(v)}</span>`,
  };
  return f;
}
