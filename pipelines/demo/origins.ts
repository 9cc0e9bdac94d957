// Countries of origin of demo participants and what varies with them: residence status in Japan,
// gender mix, earliest plausible arrival, Japanese at admission, and where people tend to live.
// Shares are a plausible mix for a Japanese refugee/migrant IT programme in 2022–2026 (see
// docs/demo-data.md): evacuees from Myanmar, Afghanistan and Ukraine, Kurdish asylum seekers from
// Türkiye, and South Asian and African asylum seekers and migrants.
import { dayOf } from './calendar.ts';
import { Weighted } from './random.ts';

export type ResidenceStatus = 'refugee' | 'complementary_protection' | 'humanitarian' | 'asylum_seeker' | 'other';
export type JapaneseLevel = 'N1' | 'N2' | 'N3' | 'N4' | 'N5' | 'none';

export type NameGroup =
  | 'burmese'
  | 'afghan'
  | 'ukrainian'
  | 'kurdish'
  | 'arabic'
  | 'sri_lankan'
  | 'nepali'
  | 'central_african'
  | 'ethiopian'
  | 'persian'
  | 'pakistani'
  | 'bengali'
  | 'ugandan';

export interface Origin {
  iso3: string;
  weight: number;
  femaleShare: number;
  status: Weighted<ResidenceStatus>;
  /** Most arrived on or after this day (an evacuation or crisis), when there is one. */
  arrivalFloor?: { day: number; share: number };
  /** Shift of the Japanese-level distribution: positive means more participants with N3 or better. */
  japanese: number;
  names: NameGroup;
  /** Municipalities (5-digit codes) where this community is over-represented, with a multiplier. */
  livesIn?: Record<string, number>;
}

// Weights: [refugee, complementary_protection, humanitarian, asylum_seeker, other].
function status(w: [number, number, number, number, number]): Weighted<ResidenceStatus> {
  return new Weighted<ResidenceStatus>([
    ['refugee', w[0]],
    ['complementary_protection', w[1]],
    ['humanitarian', w[2]],
    ['asylum_seeker', w[3]],
    ['other', w[4]],
  ]);
}

export const ORIGINS: readonly Origin[] = [
  { iso3: 'MMR', weight: 18, femaleShare: 0.45, status: status([22, 2, 58, 12, 6]), arrivalFloor: { day: dayOf(2021, 3, 1), share: 0.6 }, japanese: 1, names: 'burmese', livesIn: { '13104': 3, '13116': 2 } },
  { iso3: 'AFG', weight: 13, femaleShare: 0.35, status: status([45, 5, 35, 10, 5]), arrivalFloor: { day: dayOf(2021, 8, 25), share: 0.85 }, japanese: -1, names: 'afghan' },
  { iso3: 'UKR', weight: 11, femaleShare: 0.72, status: status([1, 60, 37, 0, 2]), arrivalFloor: { day: dayOf(2022, 3, 15), share: 1 }, japanese: -1, names: 'ukrainian', livesIn: { '14100': 1.5 } },
  { iso3: 'TUR', weight: 8, femaleShare: 0.22, status: status([2, 1, 17, 70, 10]), japanese: 0, names: 'kurdish', livesIn: { '11203': 8, '11223': 12 } },
  { iso3: 'NPL', weight: 8, femaleShare: 0.35, status: status([2, 0, 10, 28, 60]), japanese: 1, names: 'nepali', livesIn: { '13104': 2, '13116': 1.5 } },
  { iso3: 'LKA', weight: 6, femaleShare: 0.3, status: status([5, 1, 20, 40, 34]), japanese: 1, names: 'sri_lankan', livesIn: { '11203': 1.5 } },
  { iso3: 'SYR', weight: 5, femaleShare: 0.4, status: status([40, 15, 40, 3, 2]), japanese: -1, names: 'arabic' },
  { iso3: 'BGD', weight: 5, femaleShare: 0.25, status: status([5, 0, 15, 45, 35]), japanese: 1, names: 'bengali', livesIn: { '13118': 2 } },
  { iso3: 'PAK', weight: 5, femaleShare: 0.2, status: status([5, 0, 15, 45, 35]), japanese: 0, names: 'pakistani' },
  { iso3: 'IRN', weight: 4, femaleShare: 0.4, status: status([25, 2, 30, 35, 8]), japanese: 0, names: 'persian' },
  { iso3: 'CMR', weight: 4, femaleShare: 0.4, status: status([15, 2, 20, 55, 8]), japanese: 0, names: 'central_african' },
  { iso3: 'COD', weight: 3, femaleShare: 0.4, status: status([20, 2, 20, 50, 8]), japanese: 0, names: 'central_african' },
  { iso3: 'ETH', weight: 3, femaleShare: 0.45, status: status([20, 2, 20, 50, 8]), japanese: 0, names: 'ethiopian' },
  { iso3: 'UGA', weight: 3, femaleShare: 0.4, status: status([15, 2, 15, 60, 8]), japanese: 0, names: 'ugandan' },
  { iso3: 'SDN', weight: 2, femaleShare: 0.35, status: status([30, 10, 40, 15, 5]), arrivalFloor: { day: dayOf(2023, 4, 25), share: 0.7 }, japanese: -1, names: 'arabic' },
  { iso3: 'YEM', weight: 1, femaleShare: 0.3, status: status([30, 5, 40, 20, 5]), japanese: -1, names: 'arabic' },
  { iso3: 'ERI', weight: 1, femaleShare: 0.4, status: status([25, 2, 20, 45, 8]), japanese: 0, names: 'ethiopian' },
];

export const originTable = new Weighted(ORIGINS.map((o) => [o, o.weight] as const));

/** JLPT level at admission; `shift` moves weight from none/N5 toward N3+. */
export function japaneseTable(shift: number): Weighted<JapaneseLevel> {
  const s = Math.max(-1, Math.min(1, shift));
  return new Weighted<JapaneseLevel>([
    ['none', 22 - 8 * s],
    ['N5', 20 - 3 * s],
    ['N4', 22],
    ['N3', 18 + 5 * s],
    ['N2', 12 + 4 * s],
    ['N1', 6 + 2 * s],
  ]);
}

export const japaneseTables = new Map<number, Weighted<JapaneseLevel>>([-1, 0, 1].map((s) => [s, japaneseTable(s)]));
