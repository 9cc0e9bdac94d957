// Observable Framework site for funders: one page per question, in English (/en/) and Japanese
// (/ja/) from one source (src/[lang]/*.md). Offline by construction: no Google Fonts (empty
// globalStylesheets; Noto Sans JP is self-hosted under /_fonts/ by pipelines/dashboard/build.ts), no
// CDN imports (pages import Plot, d3, Inputs and htl from node_modules), no search, no telemetry.
import { join } from 'node:path';
import { LANGS, PAGES, pageOf, siteHeader } from './src/components/site.js';

const root = import.meta.dirname;

export default {
  root: 'src',
  output: process.env.IMPACT_DASHBOARD_OUT || 'dist',
  title: 'Welcome Challenge #001 — impact',
  globalStylesheets: [],
  style: 'style.css',
  sidebar: false,
  pager: false,
  toc: false,
  search: false,
  // Data loaders are TypeScript run by the repository's own tsx, not a global `tsx`.
  interpreters: { '.ts': [process.execPath, join(root, 'bin', 'run-ts.mjs')] },
  dynamicPaths: LANGS.flatMap((lang) => PAGES.map((page) => `/${lang}/${page.path}`)),
  // The font stylesheet is added by a script because Framework would try to bundle a <link> to a
  // local path, and /_fonts/ is copied in after the build.
  // The root page only redirects to /en/ or /ja/, so it loads no font.
  head: ({ path }: { path: string }) =>
    `<link rel="icon" href="data:,">${pageOf(path) ? '<script>document.head.append(Object.assign(document.createElement("link"), {rel: "stylesheet", href: "/_fonts/noto-sans-jp.css"}))</script>' : ''}`,
  header: ({ path }: { path: string }) => siteHeader(path),
  footer: '',
};
