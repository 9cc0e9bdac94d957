// SQL of the research extract. It runs on an in-memory DuckDB: the warehouse is attached read-only
// as `warehouse`, the rows of the participants to be released are copied into in-memory `staging`,
// `core` and `marts` schemas (where the warehouse's own models run again), and the extract file is
// attached as `extract`. The link between warehouse pseudonym and research id (table `released`)
// lives only in memory. Numbers (k, the top code) are inlined where DuckDB takes no parameters
// (CREATE TABLE AS); they are validated whole numbers.
import { quotedIdentifier as q, quotedString } from '../sql.ts';
import { datesAt, periodMonthsAt, QUASI_IDENTIFIERS, qiCheckColumns, qiColumns, type QuasiIdentifier } from './quasi-identifiers-sql.ts';

/** Monthly income above this percentile (of the released participants' reported months) is top-coded. */
export const INCOME_TOP_CODE_PERCENTILE = 0.99;

const generalisable = (): QuasiIdentifier[] => QUASI_IDENTIFIERS.filter((qi) => !qi.fixed);
const fixed = (): QuasiIdentifier[] => QUASI_IDENTIFIERS.filter((qi) => qi.fixed);
const levelColumn = (qi: QuasiIdentifier) => q(`lv_${qi.name}`);

/** Warehouse tables holding one participant's rows, copied for the released participants only. */
const PARTICIPANT_TABLES = ['participants', 'enrollments', 'cib_agreements', 'employment', 'income', 'sib_referrals'];
/**
 * Data minimisation: employment that ended before the month of enrolment, and income reported
 * before it, are not released (participants.pre_programme_income_jpy is the mean of that income):
 * every date released is one more quasi-identifier, and the history before the programme is not
 * what the extract is for. `s` is a spell, `i` an income month, `m` the participant's milestones.
 */
const spellReleased = (s: string, m: string) => `(${s}.ended_on IS NULL OR ${s}.ended_on >= date_trunc('month', ${m}.enrolled_on))`;
const incomeReleased = (i: string, m: string) => `${i}.period >= date_trunc('month', ${m}.enrolled_on)`;
/** The level of a released participant's dates of each kind (table released_qi as r). */
const EMPLOYMENT = 'r.lv_employment';
const INCOME = 'r.lv_income';
const REPAYMENT = 'r.lv_repayment';

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

  /**
   * Consenting participants enrolled by the as-of date, with what the quasi-identifiers are made of.
   * The three event lists (kind and date d) hold every date the extract releases about a person
   * outside the training columns, by the quasi-identifier that releases it: employment (each released
   * spell's start and end, and whether it started after completion; the employment milestones),
   * income (the first and last released income month, the income milestone) and repayment (each CIB
   * agreement's months and its last month in cib_months, the first repayment, and the income threshold,
   * which tells whether there is an agreement). Income and repayment
   * also hold the status and month of completion or withdrawal, which months_since_completion and the
   * CIB statuses show at their precision. The extract tables must release no date that is not here.
   */
  population: `CREATE TABLE population AS
    WITH m AS (SELECT * FROM warehouse.core.participant_milestones),
    spells AS (
      SELECT s.participant_id, s.started_on, s.ended_on,
             'spell' || row_number() OVER (PARTITION BY s.participant_id ORDER BY s.started_on, s.employment_id)
               || CASE WHEN s.days_after_completion >= 0 THEN '+' WHEN s.days_after_completion < 0 THEN '-' ELSE '?' END AS kind
      FROM warehouse.core.employment_spells s JOIN m USING (participant_id)
      WHERE ${spellReleased('s', 'm')}),
    spell_events AS (
      SELECT participant_id, flatten(list([{kind: kind || ':start', d: started_on}, {kind: kind || ':end', d: ended_on}] ORDER BY kind)) AS events
      FROM spells GROUP BY participant_id),
    income_span AS (
      SELECT i.participant_id, [{kind: 'income_first', d: min(i.period)}, {kind: 'income_last', d: max(i.period)}] AS events
      FROM warehouse.core.income_months i JOIN m USING (participant_id)
      WHERE ${incomeReleased('i', 'm')} GROUP BY i.participant_id),
    agreements AS (
      SELECT a.*, 'cib' || row_number() OVER (PARTITION BY a.participant_id ORDER BY a.signed_on, a.agreement_id) AS kind
      FROM warehouse.marts.cib_agreements a),
    agreement_events AS (
      SELECT a.participant_id, flatten(list([{kind: kind || ':signed', d: a.signed_on}, {kind: kind || ':window_start', d: a.first_repayment_month},
             {kind: kind || ':window_end', d: a.window_end_month}, {kind: kind || ':closed', d: a.closed_month}, {kind: kind || ':last', d: c.last_month}] ORDER BY kind)) AS events
      FROM agreements a JOIN (SELECT agreement_id, max(month) AS last_month FROM warehouse.core.cib_agreement_months GROUP BY ALL) c USING (agreement_id)
      GROUP BY a.participant_id),
    events AS (
      SELECT participant_id,
             list_concat([{kind: 'first_job:' || coalesce(first_job_type::VARCHAR, ''), d: first_job_on}, {kind: 'first_it_job', d: first_it_job_on},
               {kind: 'first_run_ended', d: first_run_ended_on}, {kind: 'sustained_6m', d: sustained_6m_on},
               {kind: 'first_impact_sourcing', d: first_impact_sourcing_on}, {kind: 'direct_hire_after_sourcing', d: direct_hire_after_sourcing_on}],
               coalesce(se.events, [])) AS employment_events,
             list_concat([{kind: 'training:' || status, d: coalesce(completed_on, withdrawn_on)}, {kind: 'income_at_threshold', d: income_at_threshold_on}],
               coalesce(ie.events, [])) AS income_events,
             list_concat([{kind: 'training:' || status, d: coalesce(completed_on, withdrawn_on)}, {kind: 'first_repayment', d: first_repayment_on},
               {kind: concat('threshold:', income_threshold_jpy, ':', threshold_from_agreement), d: NULL}],
               coalesce(ae.events, [])) AS repayment_events
      FROM m
      LEFT JOIN spell_events se USING (participant_id)
      LEFT JOIN income_span ie USING (participant_id)
      LEFT JOIN agreement_events ae USING (participant_id))
    SELECT p.participant_id, p.birth_year, p.gender, p.country_of_origin, p.origin_region, p.residence_status,
           p.municipality_code, p.prefecture_code, s.arrival_date, p.japanese_level, p.cohort_id, p.track, p.provider, c.start_date AS intake_start,
           m.status::VARCHAR AS status, m.enrolled_on, m.completed_on, m.withdrawn_on, m.first_job_type::VARCHAR AS first_job_type,
           m.first_job_on, m.first_it_job_on, m.first_run_ended_on, m.sustained_6m_on, m.income_at_threshold_on, m.first_repayment_on,
           m.first_impact_sourcing_on, m.direct_hire_after_sourcing_on, m.threshold_from_agreement, m.income_threshold_jpy,
           e.employment_events, e.income_events, e.repayment_events
    FROM warehouse.core.participants p
    JOIN warehouse.staging.participants s ON s.participant_id = p.participant_id
    JOIN warehouse.core.cohorts c ON c.cohort_id = p.cohort_id
    JOIN m ON m.participant_id = p.participant_id
    JOIN events e ON e.participant_id = p.participant_id
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
      SELECT r.participant_id, r.research_id, ${generalisable().map((qi) => `r.${levelColumn(qi)}`).join(', ')}, ${columns.join(',\n        ')}
      FROM released r JOIN population USING (participant_id)`;
  },

  /** People released at each level of each generalisable quasi-identifier. */
  levelCounts: (qi: QuasiIdentifier) => `SELECT ${levelColumn(qi)} AS level, count(*) AS people FROM released GROUP BY ALL ORDER BY level`,
  /** People with some quasi-identifier released coarser than its most specific level. */
  generalisedPeople: () => `SELECT count(*) FROM released WHERE ${generalisable().map((qi) => `${levelColumn(qi)} < ${qi.levels.length - 1}`).join(' OR ')}`,

  /** Groups of the quasi-identifier columns of a participants table with fewer than k people. */
  kCheck: (table: string) => `SELECT ${qiColumns().map((c) => q(c.name)).join(', ')}, count(*) AS people
    FROM ${table} GROUP BY ALL HAVING count(*) < $k`,
  /** The same over released_qi, the keys of the dates quasi-identifiers included: what every table will say about each person. */
  kCheckReleased: `SELECT ${qiCheckColumns().map((c) => q(c.name)).join(', ')}, count(*) AS people
    FROM released_qi GROUP BY ALL HAVING count(*) < $k`,
  /**
   * The k-anonymity check on the full set, over the tables as written (schema `db`, e.g. extract.main):
   * every quasi-identifier column of participants and every date the other tables release about the
   * person (each spell's months, the first and last income month, each agreement's months and its
   * first and last month in cib_months), as the recipient can join them on research_id.
   */
  kCheckExtract: (db: string) => `${releasedDates(db)}
    SELECT ${RELEASED_DATES.join(', ')}, count(*) AS people FROM people GROUP BY ALL HAVING count(*) < $k`,
  groupSizes: (db: string) => `${releasedDates(db)}
    SELECT count(*) AS groups, min(people) AS smallest FROM (SELECT count(*) AS people FROM people GROUP BY ${RELEASED_DATES.join(', ')})`,
  /** The safety net behind the search: anyone still in a group of fewer than k is suppressed. */
  suppressSmallGroups: (k: number): string[] => [
    `DELETE FROM released_qi WHERE research_id IN (
      SELECT research_id FROM (
        SELECT research_id, count(*) OVER (PARTITION BY ${qiCheckColumns().map((c) => q(c.name)).join(', ')}) AS n FROM released_qi)
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
  /**
   * The participant-level tables, keyed by research_id and ordered by it (a random order). Every date
   * outside participants' training columns is released at the person's precision for its kind
   * (datesAt, from the level columns of released_qi), and is one of the population's events; the
   * monthly tables have one row per period of that precision. Where a kind is withheld, its table
   * has no rows for the person.
   */
  extractTables: (top: number): Record<string, string> => ({
    participants: `SELECT r.research_id, ${qiColumns().map((c) => `r.${q(c.name)}`).join(', ')},
        e.training_cost_jpy,
        round(m.pre_programme_income_jpy)::BIGINT AS pre_programme_income_jpy,
        m.participant_id IN (SELECT participant_id FROM top_coded_baselines) AS pre_programme_income_top_coded
      FROM released_qi r
      JOIN core.participant_milestones m USING (participant_id)
      JOIN core.enrollments e ON e.participant_id = r.participant_id AND e.is_first
      ORDER BY r.research_id`,
    employment_spells: `SELECT r.research_id,
        row_number() OVER (PARTITION BY s.participant_id ORDER BY s.started_on, s.employment_id)::INTEGER AS spell_no,
        s.employment_type, s.it_role, s.contract,
        ${datesAt('s.started_on', EMPLOYMENT)} AS started_month,
        ${datesAt('s.ended_on', EMPLOYMENT)} AS ended_month,
        s.is_open, s.weekly_hours,
        s.days_after_completion >= 0 AS after_completion
      FROM core.employment_spells s JOIN released_qi r USING (participant_id)
      JOIN core.participant_milestones m ON m.participant_id = s.participant_id
      WHERE ${EMPLOYMENT} > 0 AND ${spellReleased('s', 'm')}
      ORDER BY r.research_id, spell_no`,
    income_months: `SELECT r.research_id, ${datesAt('i.period', INCOME)} AS period, any_value(${periodMonthsAt(INCOME)})::INTEGER AS period_months,
        round(avg(i.gross_income_jpy))::BIGINT AS gross_income_jpy,
        bool_or(t.participant_id IS NOT NULL) AS top_coded,
        arg_max(i.source, CASE i.source WHEN 'payslip' THEN 1 WHEN 'employer_report' THEN 2 WHEN 'tax_certificate' THEN 3 ELSE 4 END) AS source,
        bool_and(i.verified) AS verified, max(i.sources_reported) AS sources_reported,
        date_diff('month', ${datesAt('m.completed_on', INCOME)}, ${datesAt('i.period', INCOME)})::INTEGER AS months_since_completion
      FROM core.income_months i JOIN released_qi r USING (participant_id)
      JOIN core.participant_milestones m ON m.participant_id = i.participant_id
      LEFT JOIN top_coded_months t ON t.participant_id = i.participant_id AND t.period = i.period
      WHERE ${INCOME} > 0 AND ${incomeReleased('i', 'm')}
      GROUP BY ALL
      ORDER BY r.research_id, period`,
    cib_agreements: `SELECT am.research_id, am.agreement_no,
        ${datesAt('a.signed_on', REPAYMENT)} AS signed_month,
        a.funded_amount_jpy, a.income_threshold_jpy, a.income_share_rate, a.payment_cap_jpy, a.max_payments,
        a.payment_window_months, a.grace_months,
        ${datesAt('c.first_repayment_month', REPAYMENT)} AS first_repayment_month,
        ${datesAt('c.window_end_month', REPAYMENT)} AS window_end_month,
        c.status, c.is_open,
        ${datesAt('c.closed_month', REPAYMENT)} AS closed_month,
        c.months_counted, c.months_deferred, c.months_unreported
      FROM agreement_map am
      JOIN released_qi r USING (research_id)
      JOIN staging.cib_agreements a USING (agreement_id)
      JOIN marts.cib_agreements c USING (agreement_id)
      WHERE ${REPAYMENT} > 0
      ORDER BY am.research_id, am.agreement_no`,
    cib_months: `SELECT am.research_id, am.agreement_no, ${datesAt('m.month', REPAYMENT)} AS month, any_value(${periodMonthsAt(REPAYMENT)})::INTEGER AS period_months,
        bool_and(m.month_complete) AS month_complete, arg_max(m.status, m.month) AS status,
        sum(least(m.obligation_jpy, ${cibCap(top, 'm.')}))::BIGINT AS obligation_jpy,
        sum(least(m.paid_jpy, ${cibCap(top, 'm.')}))::BIGINT AS paid_jpy,
        bool_or(m.obligation_jpy > ${cibCap(top, 'm.')} OR m.paid_jpy > ${cibCap(top, 'm.')}) AS amounts_top_coded,
        max(m.payments_counted) AS payments_counted
      FROM core.cib_agreement_months m JOIN agreement_map am USING (agreement_id)
      JOIN released_qi r USING (research_id)
      WHERE ${REPAYMENT} > 0
      GROUP BY ALL
      ORDER BY am.research_id, am.agreement_no, month`,
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

/** What the full-set check groups people by, beside the participants' quasi-identifier columns. */
const RELEASED_DATES_OUTSIDE = ['spells', 'first_income', 'last_income', 'agreements', 'cib'];
const RELEASED_DATES = [...qiColumns().map((c) => q(c.name)), ...RELEASED_DATES_OUTSIDE];

/** One row per released person (CTE people): participants' quasi-identifiers and every date the other tables hold about them. */
function releasedDates(db: string): string {
  return `WITH spell_dates AS (
      SELECT research_id, list({n: spell_no, started: started_month, ended: ended_month, after: after_completion} ORDER BY spell_no) AS spells
      FROM ${db}.employment_spells GROUP BY research_id),
    income_dates AS (SELECT research_id, min(period) AS first_income, max(period) AS last_income FROM ${db}.income_months GROUP BY research_id),
    agreement_dates AS (
      SELECT research_id, list({n: agreement_no, signed: signed_month, window_start: first_repayment_month, window_end: window_end_month, closed: closed_month} ORDER BY agreement_no) AS agreements
      FROM ${db}.cib_agreements GROUP BY research_id),
    cib_dates AS (
      SELECT research_id, list({n: agreement_no, first: first_month, last: last_month} ORDER BY agreement_no) AS cib
      FROM (SELECT research_id, agreement_no, min(month) AS first_month, max(month) AS last_month FROM ${db}.cib_months GROUP BY ALL) GROUP BY research_id),
    people AS (
      SELECT ${qiColumns().map((c) => `p.${q(c.name)}`).join(', ')}, ${RELEASED_DATES_OUTSIDE.join(', ')}
      FROM ${db}.participants p
      LEFT JOIN spell_dates USING (research_id) LEFT JOIN income_dates USING (research_id)
      LEFT JOIN agreement_dates USING (research_id) LEFT JOIN cib_dates USING (research_id))`;
}

/** What a month at the income top code would owe under an agreement: floor(rate × top code), rate read to millionths. */
function cibCap(top: number | string, prefix = ''): string {
  return `(round(${prefix}income_share_rate * 1000000)::BIGINT * ${top}) // 1000000`;
}
