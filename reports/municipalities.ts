// Names of municipalities by local government code, for report covers. The list is the real
// municipalities the programme works with (pipelines/demo/municipalities.ts holds their codes and
// names); a code not in it is printed as the code alone.
import { MUNICIPALITIES } from '../pipelines/demo/municipalities.ts';
import type { Lang } from './i18n.ts';

const BY_CODE = new Map(MUNICIPALITIES.map((m) => [m.code, m]));

/** 東京都新宿区（131041） / Shinjuku, Tokyo (131041). */
export function municipalityName(code: string, lang: Lang): string {
  const m = BY_CODE.get(code);
  if (!m) return code;
  return lang === 'ja' ? `${m.prefecture}${m.name}（${code}）` : `${m.nameEn} (${code})`;
}
