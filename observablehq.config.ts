// Observable Framework site for funders (issue 4 fills it). Kept offline-safe from the start:
// no Google Fonts, no CDN imports.
export default {
  root: 'src',
  title: 'Welcome Challenge #001 — impact',
  globalStylesheets: [],
};
