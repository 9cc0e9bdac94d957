// Every Japanese local government by its 全国地方公共団体コード (6 digits: prefecture, municipality, check digit):
// the 47 prefectures, every municipality (the 23 special wards of Tokyo included) and the wards of the designated
// cities, named in Japanese and in romaji. The list ships as data (data/reference/municipalities.tsv; its source and
// date are in data/reference/README.md), so the ingest's code check, the reports and `ref.municipalities` agree.
import { readFileSync } from 'node:fs';

export type MunicipalityKind = 'prefecture' | 'municipality' | 'designated_city' | 'special_ward' | 'ward';

export interface Municipality {
  /** Six digits with the check digit. */
  code: string;
  kind: MunicipalityKind;
  /** 東京都 */
  prefecture: string;
  /** 新宿区; a designated city's ward with its city (横浜市鶴見区); a prefecture's own row repeats its name. */
  name: string;
  /** Shinjuku; a ward with its city (Tsurumi, Yokohama). */
  nameRomaji: string;
  /** Tokyo */
  prefectureRomaji: string;
}

const TSV = new URL('../../data/reference/municipalities.tsv', import.meta.url);

/** Every code of the list, in its order (prefecture, then its municipalities, a designated city before its wards). */
export const MUNICIPALITY_LIST: readonly Municipality[] = readFileSync(TSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [code, kind, prefecture, name, prefectureRomaji, nameRomaji] = line.split('\t');
    return { code: code!, kind: kind as MunicipalityKind, prefecture: prefecture!, name: name!, nameRomaji: nameRomaji!, prefectureRomaji: prefectureRomaji! };
  });

const BY_CODE = new Map(MUNICIPALITY_LIST.map((m) => [m.code, m]));

/** Check digit of a 5-digit code: (11 − (6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5) mod 11) mod 10 (総務省の検査数字). */
export function checkDigit(code5: string): number {
  if (!/^\d{5}$/.test(code5)) throw new Error(`not a 5-digit municipality code: ${code5}`);
  let sum = 0;
  for (let i = 0; i < 5; i++) sum += Number(code5[i]) * (6 - i);
  return (11 - (sum % 11)) % 10;
}

/** A 6-digit code whose last digit is the check digit of the first five. */
export function checkDigitValid(code: string): boolean {
  return /^\d{6}$/.test(code) && checkDigit(code.slice(0, 5)) === Number(code[5]);
}

/** The local government with this 6-digit code, or undefined when the list has none. */
export function municipality(code: string): Municipality | undefined {
  return BY_CODE.get(code);
}

/**
 * How reports name a local government: 東京都新宿区（131041） / Shinjuku, Tokyo (131041), or without the code
 * (`{ withCode: false }`). A code not in the list is printed as the code alone.
 */
export function municipalityName(code: string, lang: 'ja' | 'en', { withCode = true }: { withCode?: boolean } = {}): string {
  const m = BY_CODE.get(code);
  if (!m) return code;
  const name =
    lang === 'ja'
      ? m.kind === 'prefecture' ? m.prefecture : `${m.prefecture}${m.name}`
      : m.kind === 'prefecture' ? m.prefectureRomaji : `${m.nameRomaji}, ${m.prefectureRomaji}`;
  if (!withCode) return name;
  return lang === 'ja' ? `${name}（${code}）` : `${name} (${code})`;
}
