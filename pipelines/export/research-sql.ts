// SQL of the research extract. It runs on an in-memory DuckDB: the warehouse is attached read-only
// as `warehouse`, the rows of the participants to be released are copied into in-memory `staging`,
// `core` and `marts` schemas (where the warehouse's own models run again), and the extract file is
// attached as `extract`. The link between warehouse pseudonym and research id (table `released`)
// lives only in memory. Numbers (k, the top code) are inlined where DuckDB takes no parameters
// (CREATE TABLE AS); they are validated whole numbers.
import { quotedIdentifier as q, quotedString } from '../sql.ts';
import { QUASI_IDENTIFIERS, qiColumns, type QuasiIdentifier } from './quasi-identifiers-sql.ts';

/** Monthly income above this percentile (of the released participants' reported months) is top-coded. */
export const INCOME_TOP_CODE_PERCENTILE = 0.99;

const generalisable = (): QuasiIdentifier[] => QUASI_IDENTIFIERS.filter((qi) => !qi.fixed);
const fixed = (): QuasiIdentifier[] => QUASI_IDENTIFIERS.filter((qi) => qi.fixed);
const levelColumn = (qi: QuasiIdentifier) => q(`lv_${qi.name}`);

/** Warehouse tables holding one participant's rows, copied for the released participants only. */
const PARTICIPANT_TABLES = ['participants', 'enrollments', 'cib_agreements', 'employment', 'income', 'sib_referrals'];
/** Programme tables that hold no participant, copied whole. */
const PROGRAMME_TABLES = ['cohorts', 'sib_contracts', 'sib_outcomes', 'sib_cashflows'];

export const researchSql = {
  attachWarehouse: (path: string) => `ATTACH ${quotedString(path)} AS warehouse (READ_ONLY)`,
  detachWarehouse: 'DETACH warehouse',
  attachExtract: (path: string) => `ATTACH ${quotedString(path)} AS extract`,
  detachExtract: ['CHECKPOINT extract', 'DETACH extract'],

  latestBuild: `SELECT as_of::VARCHAR AS as_of, snapshot_sha256 FROM warehouse.meta.builds ORDER BY build_id DESC LIMIT 1`,

  populationCounts: `SELECT count(*) AS participants,
      count(*) FILTER (WHERE NOT consent_research) AS not_consenting,
      count(*) FILTER (WHERE consent_research AND cohort_id IS NULL) AS not_enrolled
    FROM warehouse.core.participants`,
  laterEnrolments: `SELECT count(*) FROM warehouse.core.enrollments e
    WHERE NOT e.is_first AND e.participant_id IN (SELECT participant_id FROM released)`,

  /** Consenting participants enrolled by the as-of date, with what the quasi-identifiers are made of. */
  population: `CREATE TABLE population AS
    SELECT p.participant_id, p.birth_year, p.gender, p.country_of_origin, p.origin_region, p.residence_status,
           p.municipality_code, p.prefecture_code, s.arrival_date, p.japanese_level, p.cohort_id, p.track, p.provider, c.start_date AS intake_start
    FROM warehouse.core.participants p
    JOIN warehouse.staging.participants s ON s.participant_id = p.participant_id
    JOIN warehouse.core.cohorts c ON c.cohort_id = p.cohort_id
    WHERE p.consent_research
    ORDER BY p.participant_id`,

  /** Per participant: the fixed quasi-identifiers as one key, and each other one's key at every level. */
  qiKeys: () => `SELECT participant_id,
      concat_ws('|', ${fixed().map((qi) => qi.levels[0]).join(', ')}) AS cell,
      [${generalisable().map((qi) => `[${qi.levels.join(', ')}]`).join(', ')}] AS keys
    FROM population ORDER BY participant_id`,

  /** Participants in a group of fewer than k when every quasi-identifier is at its most specific level. */
  uniqueAtFinest: () => `SELECT count(*) FILTER (WHERE n < $k) AS people FROM (
      SELECT count(*) OVER (PARTITION BY ${QUASI_IDENTIFIERS.map((qi) => qi.levels.at(-1)).join(', ')}) AS n FROM population)`,

  createReleased: () => `CREATE TABLE released (participant_id UUID NOT NULL, research_id VARCHAR NOT NULL,
      ${generalisable().map((qi) => `${levelColumn(qi)} INTEGER NOT NULL`).join(', ')})`,

  /** The released participants with their quasi-identifier columns at the chosen levels. */
  releasedQi: () => {
    const columns = QUASI_IDENTIFIERS.flatMap((qi) =>
      qi.columns.map((c) => {
        if (qi.fixed) return `${c.byLevel[0]} AS ${q(c.name)}`;
        return `CASE ${levelColumn(qi)} ${c.byLevel.map((v, level) => `WHEN ${level} THEN ${v}`).join(' ')} END::${c.type} AS ${q(c.name)}`;
      }),
    );
    return `CREATE TABLE released_qi AS
      SELECT r.participant_id, r.research_id, ${columns.join(',\n        ')}
      FROM released r JOIN population USING (participant_id)`;
  },

  /** People released at each level of each generalisable quasi-identifier. */
  levelCounts: (qi: QuasiIdentifier) => `SELECT ${levelColumn(qi)} AS level, count(*) AS people FROM released GROUP BY ALL ORDER BY level`,
  /** People with some quasi-identifier released coarser than its most specific level. */
  generalisedPeople: () => `SELECT count(*) FROM released WHERE ${generalisable().map((qi) => `${levelColumn(qi)} < ${qi.levels.length - 1}`).join(' OR ')}`,

  /** The k-anonymity check: groups of the quasi-identifier columns with fewer than k people. */
  kCheck: (table: string) => `SELECT ${qiColumns().map((c) => q(c.name)).join(', ')}, count(*) AS people
    FROM ${table} GROUP BY ALL HAVING count(*) < $k`,
  groupSizes: (table: string) => `SELECT count(*) AS groups, min(people) AS smallest FROM (
      SELECT count(*) AS people FROM ${table} GROUP BY ${qiColumns().map((c) => q(c.name)).join(', ')})`,
  /** The safety net behind the search: anyone still in a group of fewer than k is suppressed. */
  suppressSmallGroups: (k: number): string[] => [
    `DELETE FROM released_qi WHERE research_id IN (
      SELECT research_id FROM (
        SELECT research_id, count(*) OVER (PARTITION BY ${qiColumns().map((c) => q(c.name)).join(', ')}) AS n FROM released_qi)
      WHERE n < ${k})`,
    'DELETE FROM released WHERE research_id NOT IN (SELECT research_id FROM released_qi)',
  ],

  /** The warehouse's staging rows of the released participants, for the models to run on. */
  copyStaging: (): string[] => [
    'CREATE SCHEMA staging', 'CREATE SCHEMA core', 'CREATE SCHEMA marts', 'CREATE SCHEMA ref', 'CREATE SCHEMA meta',
    ...PARTICIPANT_TABLES.map((t) => `CREATE TABLE staging.${q(t)} AS SELECT * FROM warehouse.staging.${q(t)}
      WHERE participant_id IN (SELECT participant_id FROM released_qi)`),
    `CREATE TABLE staging.repayments AS SELECT * FROM warehouse.staging.repayments
      WHERE agreement_id IN (SELECT agreement_id FROM staging.cib_agreements)`,
    ...PROGRAMME_TABLES.map((t) => `CREATE TABLE staging.${q(t)} AS SELECT * FROM warehouse.staging.${q(t)}`),
    'CREATE TABLE ref.countries AS SELECT * FROM warehouse.ref.countries',
    'CREATE TABLE meta.loads AS SELECT * FROM warehouse.meta.loads',
    'CREATE TABLE meta.rejects AS SELECT * FROM warehouse.meta.rejects',
  ],

  /** The top code: INCOME_TOP_CODE_PERCENTILE of the released participants' reported monthly income. */
  incomeTopCode: `SELECT quantile_disc(gross_income_jpy, ${INCOME_TOP_CODE_PERCENTILE})::BIGINT FROM core.income_months`,
  /** Top-codes income where the marts and the extract read it; CIB amounts were computed from true income. */
  topCode: (top: number): string[] => [
    `CREATE TABLE top_coded_months AS SELECT participant_id, period FROM core.income_months WHERE gross_income_jpy > ${top}`,
    `CREATE TABLE top_coded_baselines AS SELECT participant_id FROM core.participant_milestones WHERE pre_programme_income_jpy > ${top}`,
    `UPDATE core.income_months SET gross_income_jpy = ${top} WHERE gross_income_jpy > ${top}`,
    `UPDATE core.participant_milestones SET pre_programme_income_jpy = ${top} WHERE pre_programme_income_jpy > ${top}`,
  ],
  /**
   * The marts break results down by the quasi-identifiers as released, so no mart says more about a
   * person's attributes than the participants table: someone whose gender is withheld is in no
   * gender group. age_band (age at the as-of date, from the exact birth year) is not given.
   */
  releasedBreakdowns: `UPDATE core.participant_milestones m
    SET gender = r.gender, origin_region = r.origin_region, residence_status = r.residence_status,
        municipality_code = r.municipality_code, age_band = NULL
    FROM released_qi r WHERE r.participant_id = m.participant_id`,
  topCodedCounts: `SELECT (SELECT count(*) FROM top_coded_months) AS months, (SELECT count(*) FROM top_coded_baselines) AS baselines,
      (SELECT count(*) FROM core.cib_agreement_months
       WHERE obligation_jpy > ${cibCap('$top')} OR paid_jpy > ${cibCap('$top')}) AS cib_months`,

  agreementMap: `CREATE TABLE agreement_map AS
    SELECT a.agreement_id, r.research_id,
           row_number() OVER (PARTITION BY a.participant_id ORDER BY a.signed_on, a.agreement_id)::INTEGER AS agreement_no
    FROM staging.cib_agreements a JOIN released_qi r USING (participant_id)`,

  /** The participant-level tables of the extract, keyed by research_id and ordered by it (a random order). */
  extractTables: (top: number): Record<string, string> => ({
    participants: `SELECT r.research_id, ${qiColumns().map((c) => `r.${q(c.name)}`).join(', ')},
        m.status,
        ${month('m.enrolled_on')} AS enrolled_month,
        ${month('m.completed_on')} AS completed_month,
        ${month('m.withdrawn_on')} AS withdrawn_month,
        e.training_cost_jpy,
        ${month('m.first_job_on')} AS first_job_month,
        m.first_job_type,
        ${month('m.first_it_job_on')} AS first_it_job_month,
        ${month('m.first_run_ended_on')} AS first_run_ended_month,
        ${month('m.sustained_6m_on')} AS sustained_6m_month,
        ${month('m.income_at_threshold_on')} AS income_at_threshold_month,
        ${month('m.first_repayment_on')} AS first_repayment_month,
        ${month('m.first_impact_sourcing_on')} AS first_impact_sourcing_month,
        ${month('m.direct_hire_after_sourcing_on')} AS direct_hire_after_sourcing_month,
        m.income_threshold_jpy,
        m.threshold_from_agreement,
        round(m.pre_programme_income_jpy)::BIGINT AS pre_programme_income_jpy,
        m.participant_id IN (SELECT participant_id FROM top_coded_baselines) AS pre_programme_income_top_coded
      FROM released_qi r
      JOIN core.participant_milestones m USING (participant_id)
      JOIN core.enrollments e ON e.participant_id = r.participant_id AND e.is_first
      ORDER BY r.research_id`,
    employment_spells: `SELECT r.research_id,
        row_number() OVER (PARTITION BY s.participant_id ORDER BY s.started_on, s.employment_id)::INTEGER AS spell_no,
        s.employment_type, s.it_role, s.contract,
        ${month('s.started_on')} AS started_month,
        ${month('s.ended_on')} AS ended_month,
        s.is_open, s.weekly_hours,
        s.days_after_completion >= 0 AS after_completion
      FROM core.employment_spells s JOIN released_qi r USING (participant_id)
      ORDER BY r.research_id, spell_no`,
    income_months: `SELECT r.research_id, i.period, i.gross_income_jpy,
        (t.participant_id IS NOT NULL) AS top_coded,
        i.source, i.verified, i.sources_reported, i.months_since_completion::INTEGER AS months_since_completion
      FROM core.income_months i JOIN released_qi r USING (participant_id)
      LEFT JOIN top_coded_months t ON t.participant_id = i.participant_id AND t.period = i.period
      ORDER BY r.research_id, i.period`,
    cib_agreements: `SELECT am.research_id, am.agreement_no,
        ${month('a.signed_on')} AS signed_month,
        a.funded_amount_jpy, a.income_threshold_jpy, a.income_share_rate, a.payment_cap_jpy, a.max_payments,
        a.payment_window_months, a.grace_months,
        c.first_repayment_month, c.window_end_month, c.status, c.is_open, c.closed_month,
        c.months_counted, c.months_deferred, c.months_unreported
      FROM agreement_map am
      JOIN staging.cib_agreements a USING (agreement_id)
      JOIN marts.cib_agreements c USING (agreement_id)
      ORDER BY am.research_id, am.agreement_no`,
    cib_months: `SELECT am.research_id, am.agreement_no, m.month, m.month_complete, m.status,
        least(m.obligation_jpy, ${cibCap(top, 'm.')})::BIGINT AS obligation_jpy,
        least(m.paid_jpy, ${cibCap(top, 'm.')})::BIGINT AS paid_jpy,
        (m.obligation_jpy > ${cibCap(top, 'm.')} OR m.paid_jpy > ${cibCap(top, 'm.')}) AS amounts_top_coded,
        m.payments_counted
      FROM core.cib_agreement_months m JOIN agreement_map am USING (agreement_id)
      ORDER BY am.research_id, am.agreement_no, m.month`,
  }),

  createTable: (schema: string, table: string, select: string) => `CREATE TABLE extract.${q(schema)}.${q(table)} AS ${select}`,
  extractColumns: `SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = 'extract' ORDER BY schema_name, table_name, column_index`,
  commentTable: (schema: string, table: string, text: string) => `COMMENT ON TABLE extract.${q(schema)}.${q(table)} IS ${quotedString(text)}`,
  commentColumn: (schema: string, table: string, column: string, text: string) =>
    `COMMENT ON COLUMN extract.${q(schema)}.${q(table)}.${q(column)} IS ${quotedString(text)}`,

  createReadme: `CREATE TABLE extract.main."README" (section VARCHAR NOT NULL, content VARCHAR NOT NULL)`,
  insertReadme: `INSERT INTO extract.main."README" VALUES ($section, $content)`,
  createLog: `CREATE TABLE extract.main.processing_log (step INTEGER NOT NULL, action VARCHAR NOT NULL, target VARCHAR NOT NULL,
      detail VARCHAR NOT NULL, records BIGINT)`,
  insertLog: 'INSERT INTO extract.main.processing_log VALUES ($step, $action, $target, $detail, $records)',
};

/** First day of the month of a date: every date in the extract is truncated so. */
function month(expr: string): string {
  return `date_trunc('month', ${expr})::DATE`;
}

/** What a month at the income top code would owe under an agreement: floor(rate × top code), rate read to millionths. */
function cibCap(top: number | string, prefix = ''): string {
  return `(round(${prefix}income_share_rate * 1000000)::BIGINT * ${top}) // 1000000`;
}
