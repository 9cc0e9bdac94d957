// The Japanese font every report embeds: Noto Sans JP (SIL Open Font License), from the npm package
// @expo-google-fonts/noto-sans-jp. pdfkit embeds only the glyphs a document uses (a subset), so a
// report stays small though the font files are 5 MB each.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

export const FONT_FAMILY = 'NotoSansJP';

export const FONT_FILES = {
  normal: require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf'),
} as const;

/** The only folders a report may read from: the font files'. */
export const FONT_DIRS: readonly string[] = [...new Set(Object.values(FONT_FILES).map((f) => dirname(f)))];
