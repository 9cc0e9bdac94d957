// Real municipalities where refugees and migrants in Japan live, with their local government codes
// (全国地方公共団体コード). Weights are relative shares of demo participants, loosely following where
// foreign residents concentrate (Tokyo's inner wards, Kawaguchi/Warabi for the Kurdish community,
// the designated cities). Designated cities use their city-level code (e.g. Yokohama 14100).

import { checkDigit } from '../reference/municipalities.ts';

export interface Municipality {
  /** Five-digit code without the check digit. */
  code5: string;
  /** Six-digit code with the check digit, as sources write it. */
  code: string;
  prefecture: string;
  name: string;
  nameEn: string;
  weight: number;
}

/** Check digit of a 5-digit code (the official rule, pipelines/reference/municipalities.ts). */
export const municipalityCheckDigit = checkDigit;

export function withCheckDigit(code5: string): string {
  return `${code5}${municipalityCheckDigit(code5)}`;
}

const RAW: ReadonlyArray<readonly [code5: string, prefecture: string, name: string, nameEn: string, weight: number]> = [
  ['13104', '東京都', '新宿区', 'Shinjuku', 9],
  ['13123', '東京都', '江戸川区', 'Edogawa', 7],
  ['13116', '東京都', '豊島区', 'Toshima', 5],
  ['13121', '東京都', '足立区', 'Adachi', 5],
  ['13119', '東京都', '板橋区', 'Itabashi', 4],
  ['13111', '東京都', '大田区', 'Ota', 4],
  ['13117', '東京都', '北区', 'Kita', 3],
  ['13118', '東京都', '荒川区', 'Arakawa', 3],
  ['13114', '東京都', '中野区', 'Nakano', 3],
  ['13120', '東京都', '練馬区', 'Nerima', 3],
  ['13112', '東京都', '世田谷区', 'Setagaya', 3],
  ['13201', '東京都', '八王子市', 'Hachioji', 1.5],
  ['11203', '埼玉県', '川口市', 'Kawaguchi', 5],
  ['11223', '埼玉県', '蕨市', 'Warabi', 1.5],
  ['11100', '埼玉県', 'さいたま市', 'Saitama', 3],
  ['12100', '千葉県', '千葉市', 'Chiba', 3],
  ['12204', '千葉県', '船橋市', 'Funabashi', 2],
  ['14100', '神奈川県', '横浜市', 'Yokohama', 9],
  ['14130', '神奈川県', '川崎市', 'Kawasaki', 4],
  ['08220', '茨城県', 'つくば市', 'Tsukuba', 1],
  ['10204', '群馬県', '伊勢崎市', 'Isesaki', 1],
  ['22130', '静岡県', '浜松市', 'Hamamatsu', 1.5],
  ['23100', '愛知県', '名古屋市', 'Nagoya', 5],
  ['26100', '京都府', '京都市', 'Kyoto', 2],
  ['27100', '大阪府', '大阪市', 'Osaka', 6],
  ['28100', '兵庫県', '神戸市', 'Kobe', 3],
  ['34100', '広島県', '広島市', 'Hiroshima', 1],
  ['40130', '福岡県', '福岡市', 'Fukuoka', 2],
  ['04100', '宮城県', '仙台市', 'Sendai', 1],
  ['01100', '北海道', '札幌市', 'Sapporo', 1],
];

export const MUNICIPALITIES: readonly Municipality[] = RAW.map(([code5, prefecture, name, nameEn, weight]) => ({
  code5,
  code: withCheckDigit(code5),
  prefecture,
  name,
  nameEn,
  weight,
}));

export function municipalityByCode5(code5: string): Municipality {
  const m = MUNICIPALITIES.find((x) => x.code5 === code5);
  if (!m) throw new Error(`unknown demo municipality ${code5}`);
  return m;
}
