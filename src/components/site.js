// The site's pages and its header (navigation and language switch), shared by the Framework config
// (which renders the header at build time) and the pages. Plain JavaScript: it runs in Node and in
// the browser.

export const LANGS = ['en', 'ja'];

/** One page per question a funder asks; `path` is relative to /en/ or /ja/. */
export const PAGES = [
  { path: 'index', en: 'Overview', ja: '概要' },
  { path: 'pathways', en: 'Pathways', ja: '進路' },
  { path: 'employment', en: 'Employment', ja: '就職' },
  { path: 'income', en: 'Income', ja: '収入' },
  { path: 'fund', en: 'CIB fund', ja: 'CIB基金' },
  { path: 'sib', en: 'SIB contracts', ja: 'SIB契約' },
  { path: 'equity', en: 'Equity', ja: '公平性' },
  { path: 'data-quality', en: 'Data quality', ja: 'データ品質' },
];

const SITE_NAME = { en: 'Welcome Challenge #001 — impact', ja: 'ウェルカム・チャレンジ #001 — インパクト' };
const OTHER = { en: { lang: 'ja', label: '日本語' }, ja: { lang: 'en', label: 'English' } };

/** The language and page of a site path such as "/ja/fund" (the root index has no language). */
export function pageOf(path) {
  const match = /^\/(en|ja)\/(.*)$/.exec(path);
  if (!match) return null;
  return { lang: match[1], page: match[2] === '' ? 'index' : match[2] };
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Header HTML for a page: site name, one link per page, and the link to the same page in the other language. */
export function siteHeader(path) {
  const here = pageOf(path);
  if (!here) return '';
  const { lang, page } = here;
  const other = OTHER[lang];
  const href = (l, p) => `/${l}/${p === 'index' ? '' : p}`;
  const links = PAGES.map(
    (p) => `<a href="${href(lang, p.path)}"${p.path === page ? ' aria-current="page"' : ''}>${escape(p[lang])}</a>`,
  ).join('');
  return `<div class="site-header" lang="${lang}">
<a class="site-name" href="${href(lang, 'index')}">${escape(SITE_NAME[lang])}</a>
<nav class="site-nav" aria-label="${lang === 'ja' ? 'ページ' : 'Pages'}">${links}</nav>
<a class="lang-switch" id="lang-switch" hreflang="${other.lang}" lang="${other.lang}" data-lang="${other.lang}" href="${href(other.lang, page)}">${other.label}</a>
</div>
<script>try{localStorage.setItem("impact-lang","${lang}");document.documentElement.lang="${lang}"}catch(e){}</script>`;
}
