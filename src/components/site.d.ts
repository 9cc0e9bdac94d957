export declare const LANGS: readonly string[];
export declare const PAGES: ReadonlyArray<{ path: string; en: string; ja: string }>;
export declare function pageOf(path: string): { lang: 'en' | 'ja'; page: string } | null;
export declare function siteHeader(path: string): string;
