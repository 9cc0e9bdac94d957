// The quasi-identifiers of the research extract and their generalisation hierarchies, as SQL over
// one row of the extract's population (`population` in research-sql.ts). A quasi-identifier is an
// attribute someone who knows a participant (an employer, a classmate, a caseworker, a municipal
// officer) could know and use to find them among the rows: who they are, and the months of the
// events they witnessed (enrolment, completion or withdrawal, jobs, CIB repayments). Every date the
// extract releases about a person is one (the attacker model is in docs/researchers.md). Each hierarchy lists its levels from the most general
// (level 0: withheld) to the most specific the extract ever releases; the k-anonymity search
// (k-anonymity.ts) picks a level per participant. The fixed quasi-identifier, the cohort, is always
// released: the rest of the extract reveals it anyway (see `fixed` below).

export interface QiColumn {
  name: string;
  type: 'VARCHAR' | 'DATE' | 'BOOLEAN' | 'BIGINT';
  /** SQL value of the column at each level of the hierarchy (NULL where withheld). */
  byLevel: string[];
  description: string;
  /**
   * Not a column of participants: the quasi-identifier's key as released, kept beside it in memory
   * so that the k-anonymity check also covers what the other tables say at that level.
   */
  checkOnly?: boolean;
}

export interface QuasiIdentifier {
  name: string;
  /** What the levels are, most general first, for the processing log and the docs. */
  levelNames: string[];
  /** SQL key of each level (VARCHAR); two rows with equal keys at a level are alike at that level. */
  levels: string[];
  columns: QiColumn[];
  /**
   * Released at its one level for everyone. The cohort: the enrolment and completion months give the
   * quarter a participant started and (through the length of training) the track, and the training
   * cost and CIB terms give the provider, so withholding the cohort in one column would hide nothing.
   */
  fixed?: boolean;
  /**
   * The timing of an outcome (training, employment, income, repayment): refined before any attribute
   * of the person, since outcomes over time are what the extract is for.
   */
  outcome?: boolean;
}

const WITHHELD = "'*'";

/** How precisely dates are released, coarsest first; the first day of the period stands for it. */
export const DATE_PRECISIONS = ['year', 'half-year', 'quarter', 'month'] as const;
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
const PERIOD_MONTHS: Record<DatePrecision, number> = { year: 12, 'half-year': 6, quarter: 3, month: 1 };

/** The first day of the period of a date at a precision (NULL stays NULL). */
export function truncDate(expr: string, precision: DatePrecision): string {
  if (precision === 'half-year') return `make_date(year(${expr}), CASE WHEN month(${expr}) <= 6 THEN 1 ELSE 7 END, 1)`;
  return `date_trunc('${precision}', ${expr})::DATE`;
}

/**
 * The dates of the events after enrolment, in three quasi-identifiers (employment, income,
 * repayment), each released at one precision per person: DATES_PRECISIONS[level], level 0 withheld.
 * The tables holding those dates release them with datesAt(expr, the person's level column).
 */
const DATES_PRECISIONS: Array<DatePrecision | null> = [null, ...DATE_PRECISIONS];
export const datesAt = (expr: string, level: string) =>
  `CASE ${level} ${DATES_PRECISIONS.map((p, l) => `WHEN ${l} THEN ${p ? truncDate(expr, p) : 'NULL'}`).join(' ')} END`;
export const periodMonthsAt = (level: string) =>
  `CASE ${level} ${DATES_PRECISIONS.map((p, l) => `WHEN ${l} THEN ${p ? PERIOD_MONTHS[p] : 'NULL'}`).join(' ')} END`;

/**
 * A list of events (kind and date d, see population in research-sql.ts) at a precision, as one key:
 * its md5, since only equality matters and a history's key is long (it is read into memory for the search).
 */
const eventsKey = (events: string, precision: DatePrecision) =>
  `md5(array_to_string(list_sort(list_transform(${events}, lambda e: e.kind || '=' || coalesce(${truncDate('e.d', precision)}::VARCHAR, ''))), ';'))`;

/**
 * A quasi-identifier made of the dates of some events: a precision column, the participants columns
 * given at that precision, and (check only) every date of its events, in whichever table they are.
 */
function datesQi(name: string, tables: string, milestones: Array<[column: string, source: string, description: string]>, extra: QiColumn[] = []): QuasiIdentifier {
  const events = `${name}_events`;
  return {
    name,
    outcome: true,
    levelNames: ['withheld', ...DATE_PRECISIONS.map((p) => `dates by ${p}`)],
    levels: [WITHHELD, ...DATE_PRECISIONS.map((p) => eventsKey(events, p))],
    columns: [
      {
        name: `${name}_dates_precision`, type: 'VARCHAR', byLevel: DATES_PRECISIONS.map((p) => (p ? `'${p}'` : 'NULL')),
        description: `How precisely this participant's ${tables} are given: month, quarter, half-year or year (a date is the first day of that period); empty where they are withheld.`,
      },
      ...extra,
      ...milestones.map(([column, source, description]): QiColumn => ({
        name: column, type: 'DATE', byLevel: DATES_PRECISIONS.map((p) => (p ? truncDate(source, p) : 'NULL')),
        description: `${description} (its first day), at the precision in ${name}_dates_precision; empty if not reached by the as-of date or withheld.`,
      })),
      { name: `${name}_key`, type: 'VARCHAR', checkOnly: true, byLevel: [WITHHELD, ...DATE_PRECISIONS.map((p) => eventsKey(events, p))], description: `Every date of the ${name} events at the released precision.` },
    ],
  };
}

/** Levels of the training quasi-identifier: withheld, status only, then status and months at each precision. */
const TRAINING_PRECISIONS: Array<DatePrecision | null> = [null, null, ...DATE_PRECISIONS];
const trainingMonth = (expr: string) => ['NULL', 'NULL', ...DATE_PRECISIONS.map((p) => truncDate(expr, p))];

/** Japan's eight regions by prefecture code (JIS X 0401, the first two digits of the municipality code). */
export const AREA_SQL = `CASE WHEN prefecture_code::INTEGER = 1 THEN 'Hokkaido'
      WHEN prefecture_code::INTEGER <= 7 THEN 'Tohoku'
      WHEN prefecture_code::INTEGER <= 14 THEN 'Kanto'
      WHEN prefecture_code::INTEGER <= 23 THEN 'Chubu'
      WHEN prefecture_code::INTEGER <= 30 THEN 'Kinki'
      WHEN prefecture_code::INTEGER <= 35 THEN 'Chugoku'
      WHEN prefecture_code::INTEGER <= 39 THEN 'Shikoku'
      ELSE 'Kyushu-Okinawa' END`;

const band = (expr: string, width: number) => `printf('%d-%d', (${expr}) // ${width} * ${width}, (${expr}) // ${width} * ${width} + ${width - 1})`;
const JLPT_GROUP = `CASE WHEN japanese_level IS NULL THEN 'not reported' WHEN japanese_level IN ('N1', 'N2') THEN 'N1-N2'
      WHEN japanese_level IN ('N3', 'N4', 'N5') THEN 'N3-N5' ELSE japanese_level END`;
const JLPT = `coalesce(japanese_level, 'not reported')`;
const ARRIVAL_PERIOD = `CASE WHEN arrival_date IS NULL THEN 'not reported' ELSE ${band('year(arrival_date)', 5)} END`;
const ARRIVAL_YEAR = `coalesce(year(arrival_date)::VARCHAR, 'not reported')`;

/**
 * In priority order: when two refinements help as many people, the earlier quasi-identifier wins (the
 * timing of outcomes first: what the extract is for).
 */
export const QUASI_IDENTIFIERS: QuasiIdentifier[] = [
  {
    name: 'cohort',
    fixed: true,
    levelNames: ['cohort'],
    levels: ['cohort_id'],
    columns: [
      { name: 'cohort_id', type: 'VARCHAR', byLevel: ['cohort_id'], description: 'Cohort of the first enrolment (as in marts.cohort_summary). Always released, with its quarter, track and provider.' },
      { name: 'intake_quarter', type: 'VARCHAR', byLevel: [`printf('%d-Q%d', year(intake_start), quarter(intake_start))`], description: 'Calendar quarter in which that cohort started, YYYY-Qn.' },
      { name: 'track', type: 'VARCHAR', byLevel: ['track'], description: 'Training track of that cohort.' },
      { name: 'provider', type: 'VARCHAR', byLevel: ['provider'], description: 'Training provider of that cohort.' },
    ],
  },
  {
    name: 'training',
    outcome: true,
    levelNames: ['withheld', 'status', ...DATE_PRECISIONS.map((p) => `status, months by ${p}`)],
    levels: [WITHHELD, 'status', ...DATE_PRECISIONS.map((p) => `concat_ws('|', status, ${truncDate('enrolled_on', p)}, ${truncDate('coalesce(completed_on, withdrawn_on)', p)})`)],
    columns: [
      { name: 'status', type: 'VARCHAR', byLevel: ['NULL', ...TRAINING_PRECISIONS.slice(1).map(() => 'status')], description: 'Status of the first enrolment at the as-of date: enrolled (in training), completed or withdrawn; empty where withheld.' },
      { name: 'training_dates_precision', type: 'VARCHAR', byLevel: TRAINING_PRECISIONS.map((p) => (p ? `'${p}'` : 'NULL')), description: 'How precisely enrolled_month, completed_month and withdrawn_month are given: month, quarter, half-year or year (the date is the first day of that period); empty where they are withheld.' },
      { name: 'enrolled_month', type: 'DATE', byLevel: trainingMonth('enrolled_on'), description: 'Month of the first enrolment (the first day of its period, see training_dates_precision); empty where withheld.' },
      { name: 'completed_month', type: 'DATE', byLevel: trainingMonth('completed_on'), description: 'Month of completion of the first enrolment (the first day of its period, see training_dates_precision); empty if not completed by the as-of date or withheld.' },
      { name: 'withdrawn_month', type: 'DATE', byLevel: trainingMonth('withdrawn_on'), description: 'Month of withdrawal from the first enrolment (the first day of its period, see training_dates_precision); empty if not withdrawn by the as-of date or withheld.' },
    ],
  },
  datesQi('employment', 'employment months (here and in employment_spells; no spells where empty)', [
    ['first_job_month', 'first_job_on', 'Month of the first employment spell starting on or after completion'],
    ['first_it_job_month', 'first_it_job_on', 'Month of the first IT-role spell starting on or after completion'],
    ['first_run_ended_month', 'first_run_ended_on', 'Month the run of continuous employment that begins with the first job ended (spells joined across gaps of 14 days or less; empty while open)'],
    ['sustained_6m_month', 'sustained_6m_on', 'Month of reaching 182 days of continuous employment after completion'],
    ['first_impact_sourcing_month', 'first_impact_sourcing_on', 'Month of the first impact_sourcing job after completion'],
    ['direct_hire_after_sourcing_month', 'direct_hire_after_sourcing_on', 'Month of the first direct_hire job starting after the first impact_sourcing job'],
  ], [{ name: 'first_job_type', type: 'VARCHAR', byLevel: ['NULL', ...DATE_PRECISIONS.map(() => 'first_job_type')], description: 'employment_type of the first job after completion: impact_sourcing, direct_hire or other; empty if none or withheld (with employment_dates_precision).' }]),
  datesQi('income', 'income months (here and in income_months, one row per period; no rows where empty)', [
    ['income_at_threshold_month', 'income_at_threshold_on', 'Month of the first reported monthly income at or above income_threshold_jpy, from the month of completion on'],
  ]),
  datesQi('repayment', 'CIB months (here, in cib_agreements and in cib_months, one row per period; no rows where empty)', [
    ['first_repayment_month', 'first_repayment_on', 'Month of the first CIB repayment'],
  ], [
    // Whether a person signed an agreement is an event someone may know: told only with the agreements.
    { name: 'threshold_from_agreement', type: 'BOOLEAN', byLevel: ['NULL', ...DATE_PRECISIONS.map(() => 'threshold_from_agreement')], description: 'True when income_threshold_jpy comes from a CIB agreement; empty where the CIB months are withheld.' },
    { name: 'income_threshold_jpy', type: 'BIGINT', byLevel: ['NULL', ...DATE_PRECISIONS.map(() => 'income_threshold_jpy')], description: 'Income threshold of the participant\u2019s first CIB agreement, or the 250,000 JPY default without one (the threshold of income_at_threshold_month); empty where the CIB months are withheld.' },
  ]),
  {
    name: 'gender',
    levelNames: ['withheld', 'gender'],
    levels: [WITHHELD, 'gender'],
    columns: [{ name: 'gender', type: 'VARCHAR', byLevel: ['NULL', 'gender'], description: 'female, male, nonbinary or undisclosed; empty where withheld for k-anonymity.' }],
  },
  {
    name: 'birth_year',
    levelNames: ['withheld', '10-year band', '5-year band'],
    levels: [WITHHELD, band('birth_year', 10), band('birth_year', 5)],
    columns: [{ name: 'birth_years', type: 'VARCHAR', byLevel: ['NULL', band('birth_year', 10), band('birth_year', 5)], description: 'Years of birth as a band, first and last year inclusive: 5 years (1985-1989) or, where 5 would single people out, 10 years (1980-1989); empty where withheld.' }],
  },
  {
    name: 'country_of_origin',
    levelNames: ['withheld', 'UN region', 'country'],
    levels: [WITHHELD, 'origin_region', 'country_of_origin'],
    columns: [
      { name: 'origin_region', type: 'VARCHAR', byLevel: ['NULL', 'origin_region', 'origin_region'], description: 'UN geoscheme region of the country of origin (Stateless for stateless people); empty where withheld.' },
      { name: 'country_of_origin', type: 'VARCHAR', byLevel: ['NULL', 'NULL', 'country_of_origin'], description: 'ISO 3166-1 alpha-3 country of origin (XXA stateless), released only where at least k people share it and every other released attribute; else empty (see origin_region).' },
    ],
  },
  {
    name: 'residence_status',
    levelNames: ['withheld', 'status'],
    levels: [WITHHELD, 'residence_status'],
    columns: [{ name: 'residence_status', type: 'VARCHAR', byLevel: ['NULL', 'residence_status'], description: 'refugee, complementary_protection, humanitarian, asylum_seeker or other; empty where withheld.' }],
  },
  {
    name: 'japanese_level',
    levelNames: ['withheld', 'N1-N2 / N3-N5 / none', 'JLPT level'],
    levels: [WITHHELD, JLPT_GROUP, JLPT],
    columns: [{ name: 'japanese_level', type: 'VARCHAR', byLevel: ['NULL', JLPT_GROUP, JLPT], description: "JLPT level at admission (N1 … N5), grouped as N1-N2 or N3-N5 where a single level would single people out, none, or 'not reported'; empty where withheld." }],
  },
  {
    name: 'residence',
    levelNames: ['withheld', 'region of Japan', 'prefecture', 'municipality'],
    levels: [WITHHELD, AREA_SQL, 'prefecture_code', 'municipality_code'],
    columns: [
      { name: 'area', type: 'VARCHAR', byLevel: ['NULL', AREA_SQL, AREA_SQL, AREA_SQL], description: 'Region of Japan of the municipality of residence (Hokkaido, Tohoku, Kanto, Chubu, Kinki, Chugoku, Shikoku, Kyushu-Okinawa); empty where withheld.' },
      { name: 'prefecture_code', type: 'VARCHAR', byLevel: ['NULL', 'NULL', 'prefecture_code', 'prefecture_code'], description: 'Prefecture (JIS X 0401, 01 Hokkaido to 47 Okinawa), released where at least k people share it and every other released attribute; else empty.' },
      { name: 'municipality_code', type: 'VARCHAR', byLevel: ['NULL', 'NULL', 'NULL', 'municipality_code'], description: 'Local government code of the municipality of residence (6 digits), released where at least k people share it and every other released attribute; else empty.' },
    ],
  },
  {
    name: 'arrival_year',
    levelNames: ['withheld', '5-year band', 'year'],
    levels: [WITHHELD, ARRIVAL_PERIOD, ARRIVAL_YEAR],
    columns: [{ name: 'arrival_years', type: 'VARCHAR', byLevel: ['NULL', ARRIVAL_PERIOD, ARRIVAL_YEAR], description: "Year of arrival in Japan (2021), or a 5-year band (2020-2024) where the year would single people out, or 'not reported'; empty where withheld." }],
  },
];

/** The quasi-identifier columns of participants. */
export const qiColumns = (): QiColumn[] => QUASI_IDENTIFIERS.flatMap((q) => q.columns).filter((c) => !c.checkOnly);
/** What the k-anonymity check groups the released participants by: their columns and what the other tables say. */
export const qiCheckColumns = (): QiColumn[] => QUASI_IDENTIFIERS.flatMap((q) => q.columns);
