// The training programme: tracks, providers, the quarterly cohort plan, and for each participant the
// participants.csv and enrollments.csv rows. Participants are numbered in admission order (the order
// of their cohort's start), so participant_ref WJ-000001 is in the first cohort.
import { AS_OF_DAY, dayOf, monthIndex, monthOfDay, monthStart, mondayOnOrAfter, yearOfMonth } from './calendar.ts';
import { makeIdentity, type Identity } from './identity.ts';
import { MUNICIPALITIES, type Municipality } from './municipalities.ts';
import { ORIGINS, japaneseTables, originTable, type JapaneseLevel, type Origin, type ResidenceStatus } from './origins.ts';
import { apportion, Weighted, type Random } from './random.ts';

export interface Track {
  id: string;
  code: string;
  months: number;
  /** Price of a training place in 2022, before provider and year adjustments. */
  baseCost: number;
  completion: number;
  weight: number;
  /** Relative starting salary of graduates of this track. */
  salaryFactor: number;
  /** CIB terms for agreements on this track. */
  shareRate: number;
  maxPayments: number;
}

export const TRACKS: readonly Track[] = [
  { id: 'web_development', code: 'WEB', months: 6, baseCost: 760_000, completion: 0.8, weight: 35, salaryFactor: 1.0, shareRate: 0.1, maxPayments: 36 },
  { id: 'data_analytics', code: 'DAT', months: 5, baseCost: 660_000, completion: 0.82, weight: 25, salaryFactor: 1.05, shareRate: 0.12, maxPayments: 24 },
  { id: 'cloud_infrastructure', code: 'CLD', months: 4, baseCost: 580_000, completion: 0.84, weight: 20, salaryFactor: 1.08, shareRate: 0.1, maxPayments: 30 },
  { id: 'software_testing', code: 'QA', months: 3, baseCost: 420_000, completion: 0.88, weight: 20, salaryFactor: 0.92, shareRate: 0.08, maxPayments: 24 },
];

export interface Provider {
  id: string;
  /** Company name, as the fund's ledger names the payee. */
  legalName: string;
  costFactor: number;
  /** First cohort start this provider can take. */
  from: number;
  tracks: readonly string[];
}

export const PROVIDERS: readonly Provider[] = [
  { id: 'sakura_code_academy', legalName: 'Sakura Code Academy KK', costFactor: 1.0, from: dayOf(2022, 1, 1), tracks: ['web_development', 'software_testing', 'data_analytics'] },
  { id: 'minato_tech_institute', legalName: 'Minato Tech Institute', costFactor: 1.05, from: dayOf(2022, 1, 1), tracks: ['data_analytics', 'cloud_infrastructure', 'web_development'] },
  { id: 'naniwa_digital_school', legalName: 'Naniwa Digital School KK', costFactor: 0.95, from: dayOf(2023, 4, 1), tracks: ['web_development', 'software_testing', 'cloud_infrastructure'] },
];

/** First and last cohort start months: quarterly from 2022-04 to 2026-07. */
export const FIRST_COHORT_MONTH = monthIndex(2022, 4);
export const QUARTERS = 18;
const SEATS_PER_COHORT = 24;

export interface Cohort {
  id: string;
  track: Track;
  provider: Provider;
  quarter: number;
  start: number;
  end: number;
  cost: number;
  size: number;
}

/**
 * Cohorts and their sizes for `n` participants. Intake grows over the years (quarter q weighs
 * 1 + 0.05·q), tracks have fixed shares, and a quarter's intake on a track is split into sections
 * of about 24 seats, each a cohort, rotating over the providers that teach the track.
 */
export function planCohorts(n: number): Cohort[] {
  const cells: Array<{ q: number; track: Track; weight: number }> = [];
  for (let q = 0; q < QUARTERS; q++) for (const track of TRACKS) cells.push({ q, track, weight: (1 + 0.05 * q) * track.weight });
  const counts = apportion(n, cells.map((c) => c.weight));
  const cohorts: Cohort[] = [];
  cells.forEach(({ q, track }, i) => {
    const count = counts[i] as number;
    if (count === 0) return;
    const startMonth = FIRST_COHORT_MONTH + 3 * q;
    const start = mondayOnOrAfter(monthStart(startMonth));
    const end = mondayOnOrAfter(monthStart(startMonth + track.months)) - 3; // the Friday before
    const sections = Math.ceil(count / SEATS_PER_COHORT);
    const sizes = apportion(count, new Array<number>(sections).fill(1));
    const width = Math.max(2, String(sections).length);
    const providers = PROVIDERS.filter((p) => p.tracks.includes(track.id) && p.from <= start);
    const year = yearOfMonth(startMonth);
    const calendarQuarter = Math.floor((startMonth % 12) / 3) + 1;
    sizes.forEach((size, s) => {
      const provider = providers[(q + s) % providers.length] as Provider;
      const cost = Math.round((track.baseCost * provider.costFactor * (1 + 0.03 * (year - 2022))) / 10_000) * 10_000;
      cohorts.push({
        id: `${year}Q${calendarQuarter}-${track.code}-${String(s + 1).padStart(width, '0')}`,
        track,
        provider,
        quarter: q,
        start,
        end,
        cost,
        size,
      });
    });
  });
  return cohorts;
}

export type Gender = 'female' | 'male' | 'nonbinary' | 'undisclosed';

export interface Participant {
  index: number;
  ref: string;
  origin: Origin;
  gender: Gender;
  female: boolean;
  birthYear: number;
  status: ResidenceStatus;
  municipality: Municipality;
  /** Day of arrival in Japan (always drawn; left blank in the file for a few). */
  arrival: number;
  arrivalKnown: boolean;
  japanese: JapaneseLevel;
  japaneseKnown: boolean;
  consent: boolean;
  identity: Identity;
}

export function participantRef(index: number): string {
  return `WJ-${String(index + 1).padStart(6, '0')}`;
}

const municipalityTables = new Map<Origin, Weighted<Municipality>>(
  ORIGINS.map((o) => [o, new Weighted(MUNICIPALITIES.map((m) => [m, m.weight * (o.livesIn?.[m.code5] ?? 1)] as const))]),
);

const COMPLEMENTARY_PROTECTION_FROM = dayOf(2023, 12, 1);

export function makeParticipant(rng: Random, index: number, enrolledOn: number): Participant {
  // Nobody enrols before they could have arrived: redraw an origin whose people all came after a
  // recent crisis (Ukraine, 2022) when the enrolment is too early for it.
  let origin = rng.weighted(originTable);
  while (origin.arrivalFloor && origin.arrivalFloor.share === 1 && enrolledOn < origin.arrivalFloor.day + 75) origin = rng.weighted(originTable);
  const g = rng.float();
  const gender: Gender = g < 0.01 ? 'nonbinary' : g < 0.04 ? 'undisclosed' : rng.chance(origin.femaleShare) ? 'female' : 'male';
  const female = gender === 'female' || (gender !== 'male' && rng.chance(origin.femaleShare));
  // Age at enrolment 20–49, most in their late twenties and thirties.
  const age = 20 + Math.floor(30 * Math.pow(rng.float(), 1.4));
  const enrolYear = yearOfMonth(monthOfDay(enrolledOn));
  const birthYear = enrolYear - age - (rng.chance(0.5) ? 1 : 0);
  let status = rng.weighted(origin.status);
  // Complementary protection (補完的保護対象者) exists only since December 2023.
  if (status === 'complementary_protection' && enrolledOn < COMPLEMENTARY_PROTECTION_FROM) status = 'humanitarian';
  const municipality = rng.weighted(municipalityTables.get(origin) as Weighted<Municipality>);
  const latest = enrolledOn - 60;
  let arrival: number;
  if (origin.arrivalFloor && rng.chance(origin.arrivalFloor.share) && origin.arrivalFloor.day < latest) {
    arrival = rng.int(origin.arrivalFloor.day, latest);
  } else {
    arrival = latest - Math.floor(rng.exponential(3 * 365));
    arrival = Math.max(arrival, dayOf(2008, 1, 1));
  }
  const japanese = rng.weighted(japaneseTables.get(origin.japanese) as Weighted<JapaneseLevel>);
  const ref = participantRef(index);
  return {
    index,
    ref,
    origin,
    gender,
    female,
    birthYear,
    status,
    municipality,
    arrival,
    arrivalKnown: rng.chance(0.95),
    japanese,
    japaneseKnown: rng.chance(0.98),
    consent: rng.chance(0.85),
    identity: makeIdentity(rng, origin.names, female, municipality, index + 1),
  };
}

export type EnrollmentStatus = 'enrolled' | 'completed' | 'withdrawn';

export interface Enrollment {
  cohort: Cohort;
  enrolledOn: number;
  status: EnrollmentStatus;
  completedOn: number | null;
  withdrawnOn: number | null;
}

const LANGUAGE_COMPLETION: Record<JapaneseLevel, number> = { none: -0.06, N5: -0.02, N4: 0, N3: 0.01, N2: 0.03, N1: 0.03 };

export function enrolmentDay(rng: Random, cohort: Cohort): number {
  return cohort.start - rng.int(3, 28);
}

/**
 * Completion is decided for everyone; what the file shows depends on the as-of date: a completion
 * or withdrawal after it is still `enrolled`.
 */
export function makeEnrollment(rng: Random, cohort: Cohort, enrolledOn: number, japanese: JapaneseLevel): Enrollment {
  const completes = rng.chance(cohort.track.completion + LANGUAGE_COMPLETION[japanese]);
  if (completes) {
    // A few finish late after a resit or a pause.
    const completedOn = rng.chance(0.06) ? cohort.end + rng.int(7, 45) : cohort.end;
    if (completedOn > AS_OF_DAY) return { cohort, enrolledOn, status: 'enrolled', completedOn: null, withdrawnOn: null };
    return { cohort, enrolledOn, status: 'completed', completedOn, withdrawnOn: null };
  }
  // Withdrawals cluster early in the course.
  const length = cohort.end - cohort.start;
  const withdrawnOn = cohort.start + Math.floor(length * Math.pow(rng.float(), 1.7));
  if (withdrawnOn > AS_OF_DAY) return { cohort, enrolledOn, status: 'enrolled', completedOn: null, withdrawnOn: null };
  return { cohort, enrolledOn, status: 'withdrawn', completedOn: null, withdrawnOn };
}

