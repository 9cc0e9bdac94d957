// The quasi-identifiers of the research extract and their generalisation hierarchies, as SQL over
// one row of the extract's population (researchPopulationSql in research-sql.ts). A quasi-identifier
// is an attribute someone who knows a participant (a neighbour, a classmate, a caseworker) could
// know and use to find them among the rows. Each hierarchy lists its levels from the most general
// (level 0: withheld) to the most specific the extract ever releases; the k-anonymity search
// (k-anonymity.ts) picks a level per participant. The fixed quasi-identifier, the cohort, is always
// released: the rest of the extract reveals it anyway (see `fixed` below).

export interface QiColumn {
  name: string;
  type: 'VARCHAR';
  /** SQL value of the column at each level of the hierarchy (NULL where withheld). */
  byLevel: string[];
  description: string;
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
}

const WITHHELD = "'*'";

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

/** In priority order: when two refinements help as many people, the earlier quasi-identifier wins. */
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

export const qiColumns = (): QiColumn[] => QUASI_IDENTIFIERS.flatMap((q) => q.columns);
