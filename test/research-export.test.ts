// The research extract's promises: no warehouse id, raw ref, name or contact detail anywhere; every
// combination of quasi-identifiers shared by at least k participants (checked on the demo and on
// random populations); two recipients' files share no id; only consenting participants; every
// table and column documented; the researchers' guide is what the code generates, and every example
// query in it runs. Also the Parquet export, read back without this tool's code.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows, queryValue, withConnection } from '../pipelines/db/connection.ts';
import { buildDemoWarehouse, researchersGuide } from '../pipelines/docs/researchers.ts';
import { EXAMPLE_QUERIES } from '../pipelines/docs/researchers-examples-sql.ts';
import { kAnonymise, type QiRecord } from '../pipelines/export/k-anonymity.ts';
import { INCLUDED_MARTS } from '../pipelines/export/mart-disclosure-sql.ts';
import { DATE_PRECISIONS, qiCheckColumns, qiColumns, QUASI_IDENTIFIERS, truncDate } from '../pipelines/export/quasi-identifiers-sql.ts';
import { IDENTIFIER_COLUMNS, releaseParticipants } from '../pipelines/export/research-extract.ts';
import { researchSql } from '../pipelines/export/research-sql.ts';
import { quotedIdentifier as q, quotedString } from '../pipelines/sql.ts';
import { ROOT, runCli, tempDir, useMemoryConnection } from './helpers.ts';

const K = 5;
const dir = tempDir('impact-research-');
const env = { IMPACT_KEY_FILE: join(dir.path, 'key') };
let db: string;
const extractA = join(dir.path, 'extracts', 'a.duckdb');
const extractB = join(dir.path, 'extracts', 'b.duckdb');
afterAll(() => dir.cleanup());

beforeAll(async () => {
  ({ db } = await buildDemoWarehouse(dir.path));
  for (const [recipient, out] of [['University A', extractA], ['Evaluator B', extractB]] as const) {
    const r = await runCli(['export', 'research', '--db', db, '--recipient', recipient, '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
  }
});

/** Rows of a query over the warehouse and both extracts, attached read-only as wh, a and b. */
async function across<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return withConnection(':memory:', {}, async (conn) => {
    await conn.run(`ATTACH ${quotedString(db)} AS wh (READ_ONLY); ATTACH ${quotedString(extractA)} AS a (READ_ONLY); ATTACH ${quotedString(extractB)} AS b (READ_ONLY)`);
    return queryRows<T>(conn, sql);
  });
}

const extractTables = (alias: string) =>
  across<{ schema_name: string; table_name: string; column_name: string; data_type: string }>(
    `SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = '${alias}' ORDER BY ALL`,
  );

describe('impact export research', () => {
  it('holds no warehouse participant id, raw ref, programme id, name or contact detail, in any value or column name', async () => {
    for (const alias of ['a', 'b']) {
      const columns = await extractTables(alias);
      expect(columns.filter((c) => IDENTIFIER_COLUMNS.includes(c.column_name))).toEqual([]);
      const text = columns.filter((c) => c.data_type === 'VARCHAR' || c.data_type === 'UUID');
      const values = text.map((c) => `SELECT DISTINCT ${q(c.column_name)}::VARCHAR AS v FROM ${alias}.${q(c.schema_name)}.${q(c.table_name)}`).join(' UNION ');
      const demo = (file: string, cols: string[]) =>
        cols.map((c) => `SELECT ${q(c)} AS s FROM read_csv(${quotedString(join(dir.path, 'in', file))}, all_varchar = true) WHERE length(${q(c)}) >= 4`).join(' UNION ');
      const secrets = [
        "SELECT participant_id::VARCHAR AS s FROM wh.raw.participants UNION SELECT replace(participant_id::VARCHAR, '-', '') FROM wh.raw.participants",
        demo('participants.csv', ['participant_ref', 'name', 'email', 'phone', 'address']),
        demo('cib_agreements.csv', ['agreement_id']),
        demo('employment.csv', ['employment_id', 'employer_ref']),
      ].join(' UNION ');
      const leaks = await across(`WITH v AS (${values}), s AS (${secrets}) SELECT v.v, s.s FROM v JOIN s ON contains(v.v, s.s) LIMIT 5`);
      expect(leaks, alias).toEqual([]);
      expect(Number((await across<{ n: number }>(`SELECT count(*) AS n FROM (${secrets})`))[0]!.n)).toBeGreaterThan(8000);
    }
  });

  it('has no combination of quasi-identifiers shared by fewer than k participants, counting every date any table gives about them', async () => {
    expect(qiColumns().map((c) => c.name)).toEqual(expect.arrayContaining(['cohort_id', 'gender', 'birth_years', 'origin_region', 'country_of_origin', 'residence_status', 'japanese_level', 'area', 'prefecture_code', 'municipality_code', 'arrival_years',
      'status', 'enrolled_month', 'completed_month', 'withdrawn_month', 'first_job_month', 'first_repayment_month', 'income_at_threshold_month']));
    for (const alias of ['a', 'b']) {
      const file = alias === 'a' ? extractA : extractB;
      expect(await withConnection(file, { readOnly: true }, (conn) => queryRows(conn, researchSql.kCheck('participants'), { k: K })), alias).toEqual([]);
      expect(await withConnection(file, { readOnly: true }, (conn) => queryRows(conn, researchSql.kCheckExtract('main'), { k: K })), alias).toEqual([]);
      const [sizes] = await across<{ smallest: number; people: number }>(`SELECT min(n) AS smallest, sum(n) AS people FROM (SELECT count(*) AS n FROM ${alias}.participants GROUP BY ${qiColumns().map((c) => q(c.name)).join(', ')})`);
      expect(Number(sizes!.smallest)).toBeGreaterThanOrEqual(K);
      expect(Number(sizes!.people)).toBeGreaterThan(1000);
    }
  });

  it('resists an attacker who knows a person, their status and the months they withdrew and started their first job (issue 11.4)', async () => {
    // An employer or a classmate knows who a person is (the quasi-identifiers of participants), whether
    // they withdrew, and the months of withdrawal and of the first job. Read each month as precisely as
    // any released table gives it (the period a date stands for: its precision column, or a month
    // where there is none), and count the people who share all of it with fewer than k − 1 others.
    for (const alias of ['a', 'b']) {
      const columns = new Set((await extractTables(alias)).map((c) => `${c.table_name}.${c.column_name}`));
      const months = (table: string, precisionColumn: string) => {
        if (!columns.has(`${table}.${precisionColumn}`)) return '1';
        return precisionColumn === 'period_months' ? precisionColumn : `CASE ${precisionColumn} WHEN 'year' THEN 12 WHEN 'half-year' THEN 6 WHEN 'quarter' THEN 3 ELSE 1 END`;
      };
      // Each reading: the person, the first day of the period and its length in months.
      const withdrawal = [
        `SELECT research_id, withdrawn_month AS d, ${months('participants', 'training_dates_precision')} AS len FROM ${alias}.participants WHERE withdrawn_month IS NOT NULL`,
        `SELECT research_id, min(month) AS d, arg_min(${months('cib_months', 'period_months')}, month) AS len FROM ${alias}.cib_months WHERE status = 'withdrawn' GROUP BY research_id`,
        `SELECT g.research_id, g.closed_month AS d, ${months('participants', 'repayment_dates_precision')} AS len FROM ${alias}.cib_agreements g JOIN ${alias}.participants USING (research_id) WHERE g.status = 'withdrawn'`,
      ];
      const firstJob = [
        `SELECT research_id, first_job_month AS d, ${months('participants', 'employment_dates_precision')} AS len FROM ${alias}.participants WHERE first_job_month IS NOT NULL`,
        `SELECT s.research_id, min(s.started_month) AS d, any_value(${months('participants', 'employment_dates_precision')}) AS len FROM ${alias}.employment_spells s JOIN ${alias}.participants USING (research_id) WHERE s.after_completion GROUP BY s.research_id`,
      ];
      // The tightest reading: the overlap of every period a table gives.
      const known = (readings: string[]) => `SELECT research_id, max(d)::VARCHAR || '/' || min(d + to_months(len::INTEGER))::VARCHAR AS known FROM (${readings.join(' UNION ALL ')}) GROUP BY research_id`;
      const person = ['cohort_id', 'gender', 'birth_years', 'origin_region', 'country_of_origin', 'residence_status', 'japanese_level', 'area', 'prefecture_code', 'municipality_code', 'arrival_years', 'status'];
      const [attack] = await across<{ unique: number; withdrawn: number; employed: number }>(`
        WITH w AS (${known(withdrawal)}), j AS (${known(firstJob)}),
        seen AS (SELECT ${person.map((c) => `p.${q(c)}`).join(', ')}, w.known AS withdrawal, j.known AS first_job,
                        count(*) OVER (PARTITION BY ${person.map((c) => `p.${q(c)}`).join(', ')}, w.known, j.known) AS alike
                 FROM ${alias}.participants p LEFT JOIN w USING (research_id) LEFT JOIN j USING (research_id))
        SELECT count(*) FILTER (WHERE alike < ${K}) AS unique, count(withdrawal) AS withdrawn, count(first_job) AS employed FROM seen`);
      expect(Number(attack!.unique), `${alias}: people an attacker can single out`).toBe(0);
      // The attack has something to read: withdrawal and first-job months are released for some people.
      expect(Number(attack!.withdrawn), alias).toBeGreaterThan(0);
      expect(Number(attack!.employed), alias).toBeGreaterThan(0);
    }
  });

  it('releases each kind of date at the precision its column states, with one row per period', async () => {
    const [wrong] = await across<{ spells: number; income: number; cib: number; duplicates: number }>(`SELECT
      (SELECT count(*) FROM a.employment_spells s JOIN a.participants p USING (research_id)
        WHERE p.employment_dates_precision IS NULL OR (month(s.started_month) - 1) % CASE p.employment_dates_precision WHEN 'year' THEN 12 WHEN 'half-year' THEN 6 WHEN 'quarter' THEN 3 ELSE 1 END <> 0) AS spells,
      (SELECT count(*) FROM a.income_months i JOIN a.participants p USING (research_id)
        WHERE i.period_months IS DISTINCT FROM CASE p.income_dates_precision WHEN 'year' THEN 12 WHEN 'half-year' THEN 6 WHEN 'quarter' THEN 3 WHEN 'month' THEN 1 END
           OR (month(i.period) - 1) % i.period_months <> 0) AS income,
      (SELECT count(*) FROM a.cib_months m JOIN a.participants p USING (research_id)
        WHERE m.period_months IS DISTINCT FROM CASE p.repayment_dates_precision WHEN 'year' THEN 12 WHEN 'half-year' THEN 6 WHEN 'quarter' THEN 3 WHEN 'month' THEN 1 END) AS cib,
      (SELECT count(*) - count(DISTINCT (research_id, period)) FROM a.income_months) AS duplicates`);
    expect(Object.fromEntries(Object.entries(wrong!).map(([k, v]) => [k, Number(v)]))).toEqual({ spells: 0, income: 0, cib: 0, duplicates: 0 });
  });

  it('gives each recipient different random ids for the same released data, in random order', async () => {
    const [shared] = await across<{ n: number }>('SELECT count(*) AS n FROM a.participants JOIN b.participants USING (research_id)');
    expect(Number(shared!.n)).toBe(0);
    const [ids] = await across<{ n: number; distinct_ids: number; uuid: number }>(
      `SELECT count(*) AS n, count(DISTINCT research_id) AS distinct_ids, count(*) FILTER (WHERE regexp_full_match(research_id, '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')) AS uuid FROM a.participants`,
    );
    expect(Number(ids!.distinct_ids)).toBe(Number(ids!.n));
    expect(Number(ids!.uuid)).toBe(Number(ids!.n));
    // Apart from the ids, the two files hold the same rows: the processing depends on the data only.
    const cols = qiColumns().map((c) => q(c.name)).join(', ');
    const [diff] = await across<{ n: number }>(`SELECT count(*) AS n FROM ((SELECT ${cols}, status, completed_month FROM a.participants EXCEPT ALL SELECT ${cols}, status, completed_month FROM b.participants)
      UNION ALL (SELECT ${cols}, status, completed_month FROM b.participants EXCEPT ALL SELECT ${cols}, status, completed_month FROM a.participants))`);
    expect(Number(diff!.n)).toBe(0);
    // Row order follows the random id, not the cohort or any warehouse order.
    const firstCohorts = await across<{ cohort_id: string }>('SELECT cohort_id FROM a.participants LIMIT 50');
    expect(new Set(firstCohorts.map((r) => r.cohort_id)).size).toBeGreaterThan(20);
  });

  it('holds exactly the consenting participants: none of the others, not even in the marts', async () => {
    const [counts] = await across<{ consenting: number; released: number; funnel: number }>(
      `SELECT (SELECT count(*) FROM wh.core.participants WHERE consent_research AND cohort_id IS NOT NULL) AS consenting,
              (SELECT count(*) FROM a.participants) AS released,
              (SELECT people FROM a.marts.impact_funnel WHERE breakdown = 'all' AND stage = 'enrolled') AS funnel`,
    );
    const suppressed = Number((await across<{ n: number }>("SELECT sum(records) AS n FROM a.processing_log WHERE action = 'suppressed' AND target = 'participants'"))[0]!.n);
    expect(Number(counts!.released)).toBe(Number(counts!.consenting) - suppressed);
    expect(Number(counts!.funnel)).toBe(Number(counts!.released));
    // Each person's income history is a fingerprint: the extract's are the consenting participants'
    // (income top-coded as the extract says, from the month of enrolment on, by period at the
    // precision released) and none belongs only to someone who did not consent.
    const top = Number((await across<{ top: number }>("SELECT regexp_extract(content, '(\\d+) JPY', 1)::BIGINT AS top FROM a.\"README\" WHERE section = 'income'"))[0]!.top);
    const whPrints = DATE_PRECISIONS.map((precision) => `SELECT '${precision}' AS precision, consent_research, string_agg(concat(period, ':', income), ',' ORDER BY period) AS f FROM (
        SELECT i.participant_id, p.consent_research, ${truncDate('i.period', precision)} AS period, round(avg(least(i.gross_income_jpy, ${top})))::BIGINT AS income
        FROM wh.core.income_months i JOIN wh.core.participants p USING (participant_id) JOIN wh.core.participant_milestones m USING (participant_id)
        WHERE i.period >= date_trunc('month', m.enrolled_on) GROUP BY ALL) GROUP BY participant_id, precision, consent_research`);
    const [fingerprints] = await across<{ extract_only: number; not_consenting_found: number; consenting: number }>(`
      WITH wh_prints AS (${whPrints.join(' UNION ALL ')}),
      ex_prints AS (SELECT p.income_dates_precision AS precision, string_agg(concat(i.period, ':', i.gross_income_jpy), ',' ORDER BY i.period) AS f
        FROM a.income_months i JOIN a.participants p USING (research_id) GROUP BY research_id, precision)
      SELECT (SELECT count(*) FROM ex_prints WHERE (precision, f) NOT IN (SELECT (precision, f) FROM wh_prints WHERE consent_research)) AS extract_only,
             (SELECT count(*) FROM ex_prints WHERE (precision, f) IN (SELECT (precision, f) FROM wh_prints WHERE NOT consent_research)
                                              AND (precision, f) NOT IN (SELECT (precision, f) FROM wh_prints WHERE consent_research)) AS not_consenting_found,
             (SELECT count(*) FROM ex_prints) AS consenting`);
    expect(Number(fingerprints!.extract_only)).toBe(0);
    expect(Number(fingerprints!.not_consenting_found)).toBe(0);
    expect(Number(fingerprints!.consenting)).toBeGreaterThan(100);
  });

  it('documents every table and column, and records the as-of date, the snapshot and the processing', async () => {
    const undocumented = await across(`SELECT database_name, table_name, column_name FROM duckdb_columns()
      WHERE database_name IN ('a', 'b') AND (comment IS NULL OR length(comment) < 5)`);
    expect(undocumented).toEqual([]);
    const tables = await across<{ table_name: string; comment: string }>("SELECT table_name, comment FROM duckdb_tables() WHERE database_name = 'a'");
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['README', 'processing_log', 'participants', 'employment_spells', 'income_months', 'cib_agreements', 'cib_months', 'impact_funnel']));
    expect(tables.every((t) => t.comment.length > 20)).toBe(true);
    const readme = Object.fromEntries((await across<{ section: string; content: string }>('SELECT section, content FROM a."README"')).map((r) => [r.section, r.content]));
    const [build] = await across<{ as_of: string; snapshot: string }>('SELECT as_of::VARCHAR AS as_of, snapshot_sha256 AS snapshot FROM wh.meta.builds ORDER BY build_id DESC LIMIT 1');
    expect(readme.as_of).toMatch(new RegExp(`^${build!.as_of}`));
    expect(readme.source_snapshot_sha256).toMatch(new RegExp(`^${build!.snapshot}`));
    expect(readme.recipient).toBe('University A');
    const log = await across<{ action: string; target: string; records: number | null }>('SELECT action, target, records FROM a.processing_log ORDER BY step');
    const [notConsenting] = await across<{ n: number }>('SELECT count(*) AS n FROM wh.core.participants WHERE NOT consent_research');
    expect(Number(log.find((l) => l.action === 'removed' && l.target === 'participants')?.records)).toBe(Number(notConsenting!.n));
    expect(log.map((l) => l.action)).toEqual(expect.arrayContaining(['removed', 'replaced', 'coarsened', 'generalised', 'suppressed', 'top_coded', 'checked']));
    // Every quasi-identifier's levels account for every released participant.
    const released = Number((await across<{ n: number }>('SELECT count(*) AS n FROM a.participants'))[0]!.n);
    for (const qi of QUASI_IDENTIFIERS.filter((x) => !x.fixed)) {
      const total = log.filter((l) => l.target === `participants.${qi.name}`).reduce((s, l) => s + Number(l.records), 0);
      expect(total, qi.name).toBe(released);
    }
  });

  it('truncates every date to the first day of its period and top-codes income at the documented percentile', async () => {
    const dates = (await extractTables('a')).filter((c) => c.data_type === 'DATE' && c.schema_name === 'main');
    expect(dates.length).toBeGreaterThan(10);
    for (const c of dates) {
      const [r] = await across<{ n: number }>(`SELECT count(*) AS n FROM a.${q(c.table_name)} WHERE day(${q(c.column_name)}) <> 1`);
      expect(Number(r!.n), `${c.table_name}.${c.column_name}`).toBe(0);
    }
    const [income] = await across<{ top: number; p99: number; max: number; flagged: number; above: number }>(`SELECT
        (SELECT regexp_extract(content, '(\\d+) JPY', 1)::BIGINT FROM a."README" WHERE section = 'income') AS top,
        (SELECT quantile_disc(i.gross_income_jpy, 0.99) FROM wh.core.income_months i JOIN wh.core.participants p USING (participant_id) WHERE p.consent_research) AS p99,
        (SELECT max(gross_income_jpy) FROM a.income_months) AS max,
        (SELECT records FROM a.processing_log WHERE action = 'top_coded' AND target = 'income_months.gross_income_jpy') AS flagged,
        (SELECT count(*) FROM wh.core.income_months i JOIN wh.core.participants p USING (participant_id) WHERE p.consent_research AND i.gross_income_jpy > (SELECT quantile_disc(gross_income_jpy, 0.99) FROM wh.core.income_months i2 JOIN wh.core.participants p2 USING (participant_id) WHERE p2.consent_research)) AS above`);
    expect(Number(income!.top)).toBe(Number(income!.p99));
    expect(Number(income!.max)).toBeLessThanOrEqual(Number(income!.top));
    expect(Number(income!.flagged)).toBe(Number(income!.above));
    const [flags] = await across<{ wrong: number }>(`SELECT count(*) AS wrong FROM a.income_months WHERE period_months = 1 AND top_coded <> (gross_income_jpy = ${Number(income!.top)})`);
    expect(Number(flags!.wrong)).toBe(0);
    const [cib] = await across<{ n: number }>(`SELECT count(*) AS n FROM a.cib_months m JOIN a.cib_agreements g USING (research_id, agreement_no)
      WHERE m.obligation_jpy > m.period_months * ((round(g.income_share_rate * 1000000)::BIGINT * ${Number(income!.top)}) // 1000000)`);
    expect(Number(cib!.n)).toBe(0);
  });

  it('keeps only aggregate marts, each row describing at least k people', async () => {
    const marts = [...new Set((await extractTables('a')).filter((c) => c.schema_name === 'marts').map((c) => c.table_name))].sort();
    expect(marts).toEqual(INCLUDED_MARTS.map((r) => r.name).sort());
    for (const rule of INCLUDED_MARTS.filter((r) => r.people !== 'NULL')) {
      const [r] = await across<{ smallest: number }>(`SELECT min(people) AS smallest FROM (SELECT ${rule.people} AS people FROM a.marts.${q(rule.name)})`);
      expect(Number(r!.smallest), rule.name).toBeGreaterThanOrEqual(K);
    }
  });

  it('breaks the marts down by the quasi-identifiers as released, so they say no more about anyone than the participants table', async () => {
    for (const [breakdown, column] of [['gender', 'gender'], ['origin_region', 'origin_region'], ['residence_status', 'residence_status'], ['municipality', 'municipality_code'], ['cohort', 'cohort_id'], ['track', 'track']]) {
      const groups = await across<{ group_value: string; people: number; released: number }>(`SELECT f.group_value, f.people,
          (SELECT count(*) FROM a.participants p WHERE p.${q(column!)} = f.group_value) AS released
        FROM a.marts.impact_funnel f WHERE f.breakdown = '${breakdown}' AND f.stage_order = 1`);
      for (const g of groups) expect(Number(g.people), `${breakdown} ${g.group_value}`).toBe(Number(g.released));
      if (['cohort', 'track', 'gender'].includes(breakdown!)) expect(groups.length, breakdown).toBeGreaterThan(1);
    }
    const [ages] = await across<{ n: number }>("SELECT count(*) AS n FROM a.marts.impact_income WHERE breakdown = 'age_band'");
    expect(Number(ages!.n)).toBe(0);
  });

  it('is written owner-only, with no work file left behind', () => {
    expect(statSync(extractA).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir.path, 'extracts')).sort()).toEqual(['a.duckdb', 'b.duckdb']);
  });

  it('is named, without --out, after the as-of date of the latest build (not the latest date ever built)', async () => {
    const rebuilt = join(dir.path, 'rebuilt.duckdb');
    copyFileSync(db, rebuilt);
    // The demo was built as of 2026-10-31; building an earlier date afterwards makes the marts hold that date.
    expect((await runCli(['build', '--db', rebuilt, '--as-of', '2025-03-31'], env)).code).toBe(0);
    const cwd = join(dir.path, 'default-name');
    mkdirSync(cwd);
    const r = await runCli(['export', 'research', '--db', rebuilt, '--recipient', 'Order Test'], env, cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'out'))).toContain('research-order-test-2025-03-31.duckdb');
  });

  it('refuses a warehouse made by an older version of impact in one sentence', async () => {
    const old = join(dir.path, 'old-layout.duckdb');
    copyFileSync(db, old);
    await withConnection(old, {}, (conn) => conn.run('ALTER TABLE raw.participants ALTER COLUMN participant_id TYPE VARCHAR'));
    const r = await runCli(['export', 'research', '--db', old, '--recipient', 'X', '--out', join(dir.path, 'old.duckdb')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/made by an older version of impact \(raw\.participants\.participant_id is VARCHAR; this version stores UUID\)/);
  });

  it('refuses a bad k, a missing recipient and a missing warehouse in one sentence', async () => {
    for (const [args, message] of [
      [['--db', db, '--recipient', 'X', '--k', '1', '--out', join(dir.path, 'x.duckdb')], /--k must be a whole number of at least 2/],
      [['--db', db, '--recipient', 'X', '--k', 'five'], /--k must be a whole number, not "five"/],
      [['--db', db], /required option '--recipient <name>'/],
      [['--db', join(dir.path, 'none.duckdb'), '--recipient', 'X'], /There is no warehouse at/],
    ] as const) {
      const r = await runCli(['export', 'research', ...args], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('docs/researchers.md', () => {
  it('every example query runs on an extract', async () => {
    await withConnection(extractB, { readOnly: true }, async (conn) => {
      for (const example of EXAMPLE_QUERIES) expect((await queryRows(conn, example.sql)).length, example.title).toBeGreaterThan(0);
    });
  });

  it('is what `npm run docs` generates (the example results are those of the demo extract)', async () => {
    const committed = readFileSync(join(ROOT, 'docs', 'researchers.md'), 'utf8');
    expect(committed, 'run `npm run docs` and commit the result').toBe(await researchersGuide(extractA));
  });
});

describe('k-anonymity', () => {
  // A population whose hierarchies nest as the real ones do: country within region, municipality
  // within prefecture within area, 5-year within 10-year bands.
  const person = fc.record({
    birth_year: fc.integer({ min: 1970, max: 2005 }),
    gender: fc.constantFrom('female', 'male', 'nonbinary', 'undisclosed'),
    country: fc.constantFrom('AFG', 'MMR', 'SYR', 'UKR', 'ERI', 'XXA'),
    residence_status: fc.constantFrom('refugee', 'humanitarian', 'asylum_seeker'),
    municipality_code: fc.constantFrom('131041', '131016', '141003', '271004', '011002'),
    arrival_year: fc.option(fc.integer({ min: 2010, max: 2026 }), { nil: null }),
    japanese_level: fc.option(fc.constantFrom('N1', 'N2', 'N3', 'N5', 'none'), { nil: null }),
    cohort: fc.integer({ min: 1, max: 3 }),
    status: fc.constantFrom('enrolled', 'completed', 'withdrawn'),
    // Months after the cohort's start: of completion or withdrawal, of the first job, of the income span's end.
    exit_after: fc.integer({ min: 1, max: 8 }),
    job_after: fc.option(fc.integer({ min: 0, max: 14 }), { nil: null }),
    last_income_after: fc.integer({ min: 0, max: 20 }),
  });
  const REGION: Record<string, string> = { AFG: 'Asia', MMR: 'Asia', SYR: 'Asia', UKR: 'Europe', ERI: 'Africa', XXA: 'Stateless' };
  const conn = useMemoryConnection();

  type Person = typeof person extends fc.Arbitrary<infer T> ? T : never;

  async function loadPopulation(c: DuckDBConnection, people: Person[]): Promise<void> {
    await c.run('DROP TABLE IF EXISTS population; DROP TABLE IF EXISTS released; DROP TABLE IF EXISTS released_qi');
    // The dates as research-sql.ts's population holds them; the event lists hold what the other tables would release.
    const dates = ['enrolled_on', 'completed_on', 'withdrawn_on', 'first_job_on', 'first_it_job_on', 'first_run_ended_on', 'sustained_6m_on', 'income_at_threshold_on', 'first_repayment_on', 'first_impact_sourcing_on', 'direct_hire_after_sourcing_on'];
    await c.run(`CREATE TABLE population (participant_id UUID, birth_year INTEGER, gender VARCHAR, country_of_origin VARCHAR, origin_region VARCHAR,
      residence_status VARCHAR, municipality_code VARCHAR, prefecture_code VARCHAR, arrival_date DATE, japanese_level VARCHAR,
      cohort_id VARCHAR, track VARCHAR, provider VARCHAR, intake_start DATE, status VARCHAR, first_job_type VARCHAR, ${dates.map((d) => `${d} DATE`).join(', ')},
      threshold_from_agreement BOOLEAN, income_threshold_jpy BIGINT,
      employment_events STRUCT(kind VARCHAR, d DATE)[], income_events STRUCT(kind VARCHAR, d DATE)[], repayment_events STRUCT(kind VARCHAR, d DATE)[])`);
    for (const [i, p] of people.entries()) {
      const start = `2024-0${p.cohort}-01`;
      await c.run(`INSERT INTO population BY NAME
        WITH d AS (SELECT $start::DATE AS start, $status AS status)
        SELECT $id::UUID AS participant_id, $by AS birth_year, $g AS gender, $c AS country_of_origin, $r AS origin_region, $rs AS residence_status,
          $m AS municipality_code, $pref AS prefecture_code, $arr::DATE AS arrival_date, $jl AS japanese_level, $cohort AS cohort_id, $track AS track,
          'provider' AS provider, start AS intake_start, status, CASE WHEN $job IS NOT NULL AND status = 'completed' THEN 'direct_hire' END AS first_job_type,
          start + 14 AS enrolled_on,
          CASE WHEN status = 'completed' THEN (start + to_months($exit))::DATE END AS completed_on,
          CASE WHEN status = 'withdrawn' THEN (start + to_months($exit))::DATE + 9 END AS withdrawn_on,
          CASE WHEN status = 'completed' THEN (start + to_months($exit + $job))::DATE + 3 END AS first_job_on,
          [{kind: 'first_job', d: first_job_on}, {kind: 'spell1:start', d: first_job_on}] AS employment_events,
          [{kind: 'training', d: coalesce(completed_on, withdrawn_on)}, {kind: 'income_first', d: start}, {kind: 'income_last', d: (start + to_months($last))::DATE}] AS income_events,
          [{kind: 'training', d: coalesce(completed_on, withdrawn_on)}] AS repayment_events
        FROM d`, {
        id: `00000000-0000-0000-0000-${i.toString(16).padStart(12, '0')}`, by: p.birth_year, g: p.gender, c: p.country, r: REGION[p.country]!, rs: p.residence_status, m: p.municipality_code,
        pref: p.municipality_code.slice(0, 2), arr: p.arrival_year === null ? null : `${p.arrival_year}-04-01`, jl: p.japanese_level,
        cohort: `C${p.cohort}`, track: `track${p.cohort}`, start, status: p.status, exit: p.exit_after, job: p.job_after, last: p.last_income_after,
      });
    }
  }

  it('leaves every released combination of quasi-identifier columns with at least k people, on random populations (fast-check, real SQL)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(person, { maxLength: 90 }), fc.integer({ min: 2, max: 6 }), async (people, k) => {
        const c = conn();
        await loadPopulation(c, people);
        const { released, suppressed } = await releaseParticipants(c, k);
        expect(await queryRows(c, researchSql.kCheckReleased, { k })).toEqual([]);
        expect(released + suppressed).toBe(people.length);
        // Only a cohort smaller than k is suppressed.
        const cohortSizes = new Map<number, number>();
        for (const p of people) cohortSizes.set(p.cohort, (cohortSizes.get(p.cohort) ?? 0) + 1);
        expect(suppressed).toBe([...cohortSizes.values()].filter((n) => n < k).reduce((s, n) => s + n, 0));
        // Released values are each person's own, at some level: a released country is the person's country.
        const wrong = await queryValue(c, `SELECT count(*) FROM released_qi r JOIN population p USING (participant_id)
          WHERE r.country_of_origin <> p.country_of_origin OR r.municipality_code <> p.municipality_code OR r.gender <> p.gender OR r.origin_region <> p.origin_region
             OR r.status <> p.status OR r.withdrawn_month NOT BETWEEN p.withdrawn_on - INTERVAL 1 YEAR AND p.withdrawn_on
             OR r.first_job_month NOT BETWEEN p.first_job_on - INTERVAL 1 YEAR AND p.first_job_on`);
        expect(Number(wrong)).toBe(0);
        // Dates of the same kind are given at one precision per person, and only with a precision.
        const unstated = await queryValue(c, `SELECT count(*) FROM released_qi WHERE (withdrawn_month IS NOT NULL AND training_dates_precision IS NULL)
          OR (first_job_month IS NOT NULL AND employment_dates_precision IS NULL)`);
        expect(Number(unstated)).toBe(0);
      }),
      { numRuns: 40 },
    );
  });

  it('suppresses whoever a faulty search would leave in a group of fewer than k (the safety net)', async () => {
    const c = conn();
    await loadPopulation(c, fc.sample(person, { numRuns: 30, seed: 7 }).map((p) => ({ ...p, cohort: 1 })));
    await releaseParticipants(c, 2);
    const before = Number(await queryValue(c, 'SELECT count(*) FROM released_qi'));
    expect(before).toBe(30);
    // Someone from a group with more than k members, so that singling them out breaks exactly one group
    // (ids are random: the first id could come from a group of exactly k).
    const groupBy = qiCheckColumns().map((col) => q(col.name)).join(', ');
    const victim = await queryValue<string>(c, `SELECT research_id FROM released_qi
      QUALIFY count(*) OVER (PARTITION BY ${groupBy}) > 2 ORDER BY research_id LIMIT 1`);
    await c.run("UPDATE released_qi SET gender = 'a value nobody else has' WHERE research_id = $id", { id: victim });
    expect((await queryRows(c, researchSql.kCheckReleased, { k: 2 })).length).toBe(1);
    for (const sql of researchSql.suppressSmallGroups(2)) await c.run(sql);
    expect(await queryRows(c, researchSql.kCheckReleased, { k: 2 })).toEqual([]);
    expect(Number(await queryValue(c, 'SELECT count(*) FROM released_qi'))).toBe(before - 1);
    expect(Number(await queryValue(c, 'SELECT count(*) FROM released WHERE research_id = $id', { id: victim }))).toBe(0);
  });

  it('does not depend on the order of the records (fast-check)', () => {
    const record = fc.record({ cell: fc.constantFrom('a', 'b'), v: fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })) });
    // What is released: for each distinct record, the levels its copies get (copies may swap).
    const released = (records: QiRecord[], release: ReturnType<typeof kAnonymise>) =>
      records.map((r, i) => JSON.stringify([r, release[i]])).sort();
    fc.assert(
      fc.property(fc.array(record, { maxLength: 60 }), fc.integer({ min: 2, max: 5 }), fc.integer(), fc.boolean(), (rows, k, seed, tiered) => {
        const toQi = (r: (typeof rows)[number]): QiRecord => ({ cell: r.cell, keys: [['*', String(r.v[0] % 2), String(r.v[0])], ['*', String(r.v[1])]] });
        const tiers = tiered ? [0, 1] : [];
        const before = rows.map(toQi);
        const order = rows.map((_, i) => i).sort((x, y) => ((x * 7919 + seed) % 101) - ((y * 7919 + seed) % 101) || x - y);
        const after = order.map((i) => toQi(rows[i]!));
        expect(released(after, kAnonymise(after, k, tiers))).toEqual(released(before, kAnonymise(before, k, tiers)));
      }),
    );
  });

  it('refines a worked example as described', () => {
    // A cohort of 4 women and 3 men, and a cohort of one. With k = 3 both genders have at least k
    // people, so everyone in the first cohort gets their gender; the cohort of one is suppressed.
    const rows: QiRecord[] = [
      ...Array.from({ length: 4 }, () => ({ cell: 'c', keys: [['*', 'female']] })),
      ...Array.from({ length: 3 }, () => ({ cell: 'c', keys: [['*', 'male']] })),
      { cell: 'small', keys: [['*', 'female']] },
    ];
    expect(kAnonymise(rows, 3)).toEqual([[1], [1], [1], [1], [1], [1], [1], null]);
    // With k = 4 the 3 men cannot move, so the smallest moving group (the 4 women) stays with them.
    expect(kAnonymise(rows, 4)).toEqual([[0], [0], [0], [0], [0], [0], [0], null]);
  });

  it('lends people from a large group so that the status of the many is released beside the few who withdrew', () => {
    // A cohort of 12 completers and 3 who withdrew, k = 5: the 3 cannot have their status, and need 2
    // more to hide among; the completers lend them 2 (by value, so the same 2 whatever the order) and
    // the other 10 get their status.
    const rows: QiRecord[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ cell: 'c', keys: [['*', 'completed'], ['*', `m${i % 2}`]] })),
      ...Array.from({ length: 3 }, () => ({ cell: 'c', keys: [['*', 'withdrawn'], ['*', 'm0']] })),
    ];
    const release = kAnonymise(rows, 5, [0, 1]);
    expect(release.filter((r) => r![0] === 1)).toHaveLength(10);
    expect(release.slice(12).every((r) => r![0] === 0)).toBe(true);
    // The timing of outcomes (tier 0) is refined before attributes (tier 1): without tiers the
    // attribute that moves all 15 (m0: 6 completers and the 3, m1: 6 completers) goes first, and only
    // the 6 in m1 get their status.
    expect(kAnonymise(rows, 5).filter((r) => r![0] === 1)).toHaveLength(6);
  });
});

describe('impact export parquet', () => {
  it('writes the aggregate marts, hive-partitioned by period, readable with plain read_parquet', async () => {
    const out = join(dir.path, 'parquet');
    const r = await runCli(['export', 'parquet', '--db', db, '--out', out], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Not exported: cib_agreements/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { asOf: string; marts: Array<{ name: string; rows: number; path: string; partitionedBy: string | null }> };
    expect(manifest.marts.map((m) => m.name)).not.toContain('sib_outcome_audit');
    expect(manifest.marts.find((m) => m.name === 'sib_payments')?.partitionedBy).toBe('period');
    expect(readdirSync(join(out, 'sib_payments')).every((d) => /^period=\d{4}-\d{2}-01$/.test(d))).toBe(true);
    await withConnection(':memory:', {}, async (conn) => {
      await conn.run(`ATTACH ${quotedString(db)} AS wh (READ_ONLY)`);
      for (const m of manifest.marts) {
        const path = m.partitionedBy ? join(out, m.path, '*', '*.parquet') : join(out, m.path);
        const back = await queryValue(conn, `SELECT count(*) FROM read_parquet(${quotedString(path)}, hive_partitioning = true)`);
        expect(Number(back), m.name).toBe(Number(await queryValue(conn, `SELECT count(*) FROM wh.marts.${q(m.name)}`)));
        const columns = await queryRows<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM read_parquet(${quotedString(path)}, hive_partitioning = true)`);
        expect(columns.map((c) => c.column_name)).not.toContain('participant_id');
      }
      const paid = await queryValue(conn, `SELECT sum(paid_jpy) FROM read_parquet(${quotedString(join(out, 'sib_payments', '*', '*.parquet'))}, hive_partitioning = true)`);
      expect(Number(paid)).toBe(Number(await queryValue(conn, 'SELECT sum(paid_jpy) FROM wh.marts.sib_payments')));
    });
    // Again from a research extract, over the same folder: replaced whole.
    const again = await runCli(['export', 'parquet', '--db', extractA, '--out', out], env);
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { asOf: string; marts: Array<{ name: string; path: string }> };
    expect(second.asOf).toBe(manifest.asOf);
    expect(second.marts.map((m) => m.name)).not.toContain('sib_payments');
    expect(readdirSync(out).sort()).toEqual([...second.marts.map((m) => m.path), 'manifest.json'].sort());
  });
});
