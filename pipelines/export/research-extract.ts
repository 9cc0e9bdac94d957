// impact export research: an anonymised extract of the warehouse for one research recipient, as a
// separate DuckDB file. Under the APPI, pseudonymised data (仮名加工情報) may not go to a third
// party, so the extract is processed in the manner of anonymously processed information (匿名加工
// 情報): consenting participants only; a random id per recipient instead of the pseudonym; no
// programme identifiers; dates truncated to months; quasi-identifiers generalised to k-anonymity,
// checked in SQL before anything is written; income top-coded; marts recomputed from the released
// participants with small groups left out. Everything done is recorded in the extract's
// processing_log. The file is written beside its destination and renamed over it when complete.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, queryValue, withConnection } from '../db/connection.ts';
import { buildHint, incomeDataEnd } from '../models/as-of.ts';
import { assertWarehouse } from '../warehouse/paths.ts';
import { assertCurrentLayout } from '../warehouse/layout.ts';
import { fsyncFile, removeOnInterrupt, removeStrayWorkCopies, workCopyPath } from '../work-copies.ts';
import { discoverModels, type Model } from '../models/build.ts';
import { qualified, quotedString } from '../sql.ts';
import { kAnonymise } from './k-anonymity.ts';
import { EXCLUDED_MARTS, INCLUDED_MARTS, martSql } from './mart-disclosure-sql.ts';
import { QUASI_IDENTIFIERS } from './quasi-identifiers-sql.ts';
import { EXTRACT_TABLES, PARTICIPANT_LEVEL_TABLES } from './research-catalog.ts';
import { INCOME_TOP_CODE_PERCENTILE, researchSql } from './research-sql.ts';

/**
 * k of a research extract: each released person shares every combination of quasi-identifiers with k − 1 others.
 * Not the suppression threshold of published tables (disclosure.ts), which count people in a cell anyone can read.
 */
export const DEFAULT_EXTRACT_K = 5;

/** Column names that would carry a programme identifier; none may appear anywhere in an extract. */
export const IDENTIFIER_COLUMNS = ['participant_id', 'participant_ref', 'agreement_id', 'employment_id', 'employer_ref', 'name', 'email', 'phone', 'address'];

export interface ResearchExportOptions {
  db: string;
  out: string;
  recipient: string;
  k?: number;
}

export interface LogEntry {
  action: string;
  target: string;
  detail: string;
  records: number | null;
}

export interface ResearchExportResult {
  out: string;
  extractId: string;
  recipient: string;
  asOf: string;
  snapshot: string;
  k: number;
  participants: number;
  released: number;
  suppressed: number;
  generalised: number;
  uniqueAtFinest: number;
  incomeTopCode: number;
  log: LogEntry[];
}

export function defaultExtractPath(recipient: string, asOf = new Date().toISOString().slice(0, 10)): string {
  const slug = recipient.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'recipient';
  return join('out', `research-${slug}-${asOf}.duckdb`);
}

function checkOptions(options: ResearchExportOptions): number {
  const k = options.k ?? DEFAULT_EXTRACT_K;
  if (!Number.isInteger(k) || k < 2) throw new Error(`--k must be a whole number of at least 2, not "${options.k}".`);
  const recipient = options.recipient.trim();
  if (!recipient || recipient.length > 200 || /\p{Cc}/u.test(recipient)) throw new Error('--recipient must name the recipient in at most 200 characters, on one line.');
  assertWarehouse(options.db);
  return k;
}

const n = (v: unknown) => Number(v ?? 0);

export async function exportResearch(options: ResearchExportOptions): Promise<ResearchExportResult> {
  const k = checkOptions(options);
  const recipient = options.recipient.trim();
  await mkdir(dirname(options.out), { recursive: true });
  const work = workCopyPath(options.out);
  await removeStrayWorkCopies(options.out);
  const forget = removeOnInterrupt(work);
  try {
    // Scratch work (the copied rows, the id link) happens in memory and is gone when this returns.
    // The connection may open the warehouse and the work copy, and no other file.
    const result = await withConnection(':memory:', { allowFiles: [options.db, work] }, (conn) => writeExtract(conn, options.db, work, recipient, k));
    await fsyncFile(work);
    await chmod(work, 0o600);
    await rename(work, options.out);
    return { ...result, out: options.out };
  } finally {
    await rm(work, { force: true });
    await rm(`${work}.wal`, { force: true });
    forget();
  }
}


type Note = (action: string, target: string, detail: string, records?: number | null) => void;

async function writeExtract(conn: DuckDBConnection, db: string, work: string, recipient: string, k: number): Promise<ResearchExportResult> {
  const log: LogEntry[] = [];
  const note: Note = (action, target, detail, records = null) => log.push({ action, target, detail, records });

  await conn.run(researchSql.attachWarehouse(db));
  await assertCurrentLayout(conn, db, 'warehouse');
  const [build] = await queryRows<{ as_of: string; snapshot_sha256: string }>(conn, researchSql.latestBuild);
  if (!build) throw new Error(`The warehouse ${db} has not been built: ${buildHint(await incomeDataEnd(conn, 'warehouse'))} first.`);
  const selection = await selectAndAnonymise(conn, k, build.as_of, note);
  // The warehouse's own models, run again on the released participants' rows only.
  for (const sql of researchSql.copyStaging()) await conn.run(sql);
  await conn.run(researchSql.detachWarehouse);
  const models = await discoverModels();
  const incomeTopCode = await recompute(conn, models, build.as_of, note);

  await conn.run(researchSql.attachExtract(work));
  const tables = researchSql.extractTables(incomeTopCode);
  for (const table of PARTICIPANT_LEVEL_TABLES) await conn.run(researchSql.createTable('main', table, tables[table]!));
  await writeMarts(conn, models, k, note);
  note('shuffled', 'participant tables', 'Rows are ordered by research_id, a random order unrelated to the warehouse.');
  // The written table is what the recipient gets: checked once more, and nothing is kept if it fails.
  const smallGroups = (await queryRows(conn, researchSql.kCheckExtract('extract.main'), { k })).length;
  if (smallGroups > 0) throw new Error('The k-anonymity check failed on the written extract; nothing was kept.');
  note('checked', 'all participant tables', `k-anonymity check on the written tables joined by research_id: groups of participants sharing every quasi-identifier column of participants and every date the other tables give about them (each spell's start and end months, the first and last income month, each agreement's months and its first and last month in cib_months) with fewer than k = ${k} people (must be 0).`, smallGroups);
  const sizes = (await queryRows<{ groups: number; smallest: number }>(conn, researchSql.groupSizes('extract.main')))[0]!;
  note('checked', 'all participant tables', `Groups of participants sharing every released quasi-identifier and date: ${n(sizes.groups)}, the smallest of ${n(sizes.smallest)} people.`, selection.released);

  const result: ResearchExportResult = {
    out: work, extractId: randomUUID(), recipient, asOf: build.as_of, snapshot: build.snapshot_sha256, k, incomeTopCode, log, ...selection,
  };
  await writeReadme(conn, result);
  await conn.run(researchSql.createLog);
  for (const [i, entry] of log.entries()) await conn.run(researchSql.insertLog, { step: i + 1, ...entry });
  await commentAndVerify(conn, models, k);
  for (const sql of researchSql.detachExtract) await conn.run(sql);
  return result;
}

/** Who goes into the extract, under which id, with which quasi-identifiers at which level. */
async function selectAndAnonymise(conn: DuckDBConnection, k: number, asOf: string, note: Note) {
  const counts = (await queryRows<{ participants: number; not_consenting: number; not_enrolled: number }>(conn, researchSql.populationCounts))[0]!;
  note('selected', 'participants', `Participants in the warehouse as of ${asOf}.`, n(counts.participants));
  note('removed', 'participants', 'Did not consent to research use (consent_research = false): absent from every table, mart included.', n(counts.not_consenting));
  note('removed', 'participants', 'Consented but not enrolled in a cohort by the as-of date: nothing to study yet.', n(counts.not_enrolled));

  await conn.run(researchSql.population);
  const uniqueAtFinest = n(await queryValue(conn, researchSql.uniqueAtFinest(), { k }));
  const { suppressed: suppressedCohorts } = await releaseParticipants(conn, k);
  // The SQL check is what the extract is held to; the search should leave it nothing to do.
  const violations = await queryRows(conn, researchSql.kCheckReleased, { k });
  const safetyNet = violations.reduce((s, v) => s + n(v.people), 0);
  if (safetyNet > 0) {
    for (const sql of researchSql.suppressSmallGroups(k)) await conn.run(sql);
    if ((await queryRows(conn, researchSql.kCheckReleased, { k })).length > 0) throw new Error('The k-anonymity check failed after suppression; nothing was written.');
  }
  const released = n(await queryValue(conn, 'SELECT count(*) FROM released_qi'));

  note('replaced', 'participant_id', 'The warehouse pseudonym is replaced by a random research_id (UUID v4 from a cryptographic generator) made for this extract only; the link between them is held in memory while the extract is written and never stored.', released);
  note('removed', 'programme identifiers', 'agreement_id and employment_id are replaced by numbers within the participant (agreement_no, spell_no); employer_ref is not in the extract; names, contact details and participant_ref never reach the warehouse.');
  note('removed', 'enrolments', 'Enrolments after the first (the extract, like the impact marts, follows the first enrolment).', n(await queryValue(conn, researchSql.laterEnrolments)));
  note('coarsened', 'dates', 'Every date is truncated to its month (the first day of the month) or, where the k-anonymity search says so, to its quarter, half-year or year; durations in days are not given per participant.');
  note('removed', 'employment_spells, income_months', 'Employment that ended before the month of first enrolment and income reported before it (participants.pre_programme_income_jpy is the mean of that income): fewer dates to single people out by.');
  note('checked', 'participants', `Participants who would be in a group of fewer than k = ${k} if every quasi-identifier were released at its most specific level (cohort, status and months of training, every later date by month, 5-year birth band, country, municipality, JLPT level, arrival year).`, uniqueAtFinest);
  note('suppressed', 'participants', `In a cohort with fewer than k = ${k} participants in the extract: the rest of the extract reveals the cohort, so nothing can be withheld to hide them.`, suppressedCohorts);
  for (const qi of QUASI_IDENTIFIERS.filter((x) => !x.fixed)) {
    for (const { level, people } of await queryRows<{ level: number; people: number }>(conn, researchSql.levelCounts(qi))) {
      const action = level === 0 ? 'withheld' : level === qi.levels.length - 1 ? 'released' : 'generalised';
      note(action, `participants.${qi.name}`, `${qi.name} released as: ${qi.levelNames[level]}.`, n(people));
    }
  }
  const generalised = n(await queryValue(conn, researchSql.generalisedPeople()));
  note('generalised', 'participants', 'Participants with at least one quasi-identifier released coarser than its most specific level (top-down specialisation with local recoding: a level is released to a group only if at least k people share it and every other released attribute).', generalised);
  note('suppressed', 'participants', 'Still in a group of fewer than k after generalisation (the SQL check behind the search; expected 0).', safetyNet);
  return { participants: n(counts.participants), released, suppressed: suppressedCohorts + safetyNet, generalised, uniqueAtFinest };
}

/** Runs the core models on the copied rows, top-codes income, runs the marts; returns the top code. */
async function recompute(conn: DuckDBConnection, models: Model[], asOf: string, note: Note): Promise<number> {
  await conn.run(`SET VARIABLE as_of = DATE ${quotedString(asOf)}`);
  for (const model of models.filter((m) => m.layer === 'core')) await model.run(conn, qualified(model.layer, model.name));
  const top = n(await queryValue(conn, researchSql.incomeTopCode));
  for (const sql of researchSql.topCode(top)) await conn.run(sql);
  const topCoded = (await queryRows<{ months: number; baselines: number; cib_months: number }>(conn, researchSql.topCodedCounts, { top }))[0]!;
  note('top_coded', 'income_months.gross_income_jpy', `Monthly gross income above the P${Math.round(INCOME_TOP_CODE_PERCENTILE * 100)} of the released participants' reported months (${top} JPY) is set to ${top} JPY, here and in the income the marts read.`, n(topCoded.months));
  note('top_coded', 'participants.pre_programme_income_jpy', `Mean pre-programme income above ${top} JPY set to it.`, n(topCoded.baselines));
  note('top_coded', 'cib_months', `obligation_jpy and paid_jpy above floor(income_share_rate × ${top}) (what a month at the income top code would owe) set to it, so no amount reveals a top-coded income.`, n(topCoded.cib_months));
  note('recomputed', 'marts', 'The marts are recomputed by the warehouse\u2019s own models from the released participants only (the same people as the participant tables), with the income top code applied.');
  await conn.run(researchSql.releasedBreakdowns);
  note('generalised', 'marts', 'The marts break results down by gender, origin region, residence status and municipality as released in participants: a person whose value is withheld (or released only as a prefecture or region) is in no group of that breakdown. The age_band breakdown is left out (participants.birth_years holds the released birth years).');
  for (const model of models.filter((m) => m.layer === 'marts')) await model.run(conn, qualified(model.layer, model.name));
  await conn.run(researchSql.agreementMap);
  return top;
}

/**
 * From table `population` to table `released_qi`: the k-anonymity search picks a level per person and
 * quasi-identifier, each released person gets a random id, and the quasi-identifier columns are
 * written at the chosen levels. The search is TypeScript (k-anonymity.ts); the SQL check that
 * follows is what the extract is held to.
 */
export async function releaseParticipants(conn: DuckDBConnection, k: number): Promise<{ released: number; suppressed: number }> {
  const population = await queryRows<{ participant_id: string; cell: string; keys: string[][] }>(conn, researchSql.qiKeys());
  const tiers = QUASI_IDENTIFIERS.filter((qi) => !qi.fixed).map((qi) => (qi.outcome ? 0 : 1));
  const release = kAnonymise(population.map((p) => ({ cell: p.cell, keys: p.keys })), k, tiers);
  await conn.run(researchSql.createReleased());
  const appender = await conn.createAppender('released');
  const ids = new Set<string>();
  for (const [i, levels] of release.entries()) {
    if (!levels) continue;
    let id = randomUUID();
    while (ids.has(id)) id = randomUUID();
    ids.add(id);
    appender.appendVarchar(population[i]!.participant_id);
    appender.appendVarchar(id);
    for (const level of levels) appender.appendInteger(level);
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(researchSql.releasedQi());
  return { released: ids.size, suppressed: release.length - ids.size };
}

async function writeMarts(conn: DuckDBConnection, models: Model[], k: number, note: Note): Promise<void> {
  await conn.run('CREATE SCHEMA extract.marts');
  for (const rule of INCLUDED_MARTS) {
    if (!models.some((m) => m.layer === 'marts' && m.name === rule.name)) throw new Error(`The research extract names a mart that does not exist: ${rule.name}.`);
    const c = (await queryRows<{ rows: number; left_out: number; blanked: number }>(conn, martSql.counts(rule, k)))[0]!;
    await conn.run(researchSql.createTable('marts', rule.name, martSql.select(rule, k)));
    if (rule.people !== 'NULL') note('suppressed', `marts.${rule.name}`, `Rows describing fewer than k = ${k} people (${rule.people}) left out, of ${n(c.rows)}.`, n(c.left_out));
    if (rule.blank) note('suppressed', `marts.${rule.name}`, `${rule.blank.columns.join(', ')} blanked where computed from fewer than k people (${rule.blank.when}).`, n(c.blanked));
  }
  for (const [name, why] of Object.entries(EXCLUDED_MARTS)) note('excluded', `marts.${name}`, `Not in the extract: ${why}.`);
  const unlisted = models.filter((m) => m.layer === 'marts' && !INCLUDED_MARTS.some((r) => r.name === m.name) && !(m.name in EXCLUDED_MARTS));
  if (unlisted.length) throw new Error(`Decide whether these marts go into research extracts (pipelines/export/mart-disclosure-sql.ts): ${unlisted.map((m) => m.name).join(', ')}.`);
}

async function writeReadme(conn: DuckDBConnection, r: ResearchExportResult): Promise<void> {
  const qis = QUASI_IDENTIFIERS.map((qi) => `${qi.name} (${qi.fixed ? 'always released' : qi.levelNames.join(' < ')})`).join('; ');
  const sections: Array<[string, string]> = [
    ['title', 'Welcome Challenge #001 impact data: research extract, anonymised for one recipient (processed in the manner of 匿名加工情報 under the APPI).'],
    ['recipient', r.recipient],
    ['extract_id', `${r.extractId} (random; lets the data controller record which file went to whom)`],
    ['created_at', new Date().toISOString()],
    ['as_of', `${r.asOf}: nothing dated after it is in the data; open spells and agreements are cut at it.`],
    ['source_snapshot_sha256', `${r.snapshot} (identifies the input files of the warehouse build this extract was made from)`],
    ['k', `${r.k}: every combination of quasi-identifiers in participants, together with every date the other tables give about the participant, is shared by at least ${r.k} participants; every mart row describes at least ${r.k} people.`],
    ['population', `${r.released} participants: of ${r.participants} in the warehouse, those who consented to research use and were enrolled by the as-of date, less ${r.suppressed} suppressed.`],
    ['identifiers', 'research_id is random and made for this extract only: it cannot be linked to the programme\u2019s records, and two recipients\u2019 extracts cannot be joined on it. No names, contact details, participant references, agreement or employment ids, or employers.'],
    ['quasi_identifiers', `${qis}. Each participant gets the most specific level at which at least k people share every released attribute; empty means withheld. Every date released about a person is a quasi-identifier: an employer, a classmate or a caseworker knows the months of the events they witnessed.`],
    ['dates', 'Every date is the first day of its period: a month, or a quarter, half-year or year where the participant\u2019s training_dates_precision, employment_dates_precision, income_dates_precision or repayment_dates_precision in participants says so (for those columns of participants and for the tables holding the same kind of date). income_months and cib_months have one row per such period.'],
    ['income', `Monthly gross income above ${r.incomeTopCode} JPY (the top code) is set to ${r.incomeTopCode} JPY.`],
    ['marts', `Schema marts: the warehouse\u2019s metrics recomputed from the participants in this extract, rows for fewer than ${r.k} people left out. Not included: ${Object.keys(EXCLUDED_MARTS).join(', ')} (see processing_log).`],
    ...PARTICIPANT_LEVEL_TABLES.map((t): [string, string] => [`table ${t}`, EXTRACT_TABLES[t]!.description]),
    ['table processing_log', EXTRACT_TABLES.processing_log!.description],
    [
      'conditions_of_use',
      'This is anonymously processed information (匿名加工情報) under Japan\u2019s Act on the Protection of Personal Information. Do not try to identify any person, combine it with other data to do so, or seek the processing method; do not pass it on; keep it secure and delete it when the agreed research ends.',
    ],
    ['documentation', 'docs/researchers.md in the impact repository. Every table and column has a comment: SELECT table_name, column_name, comment FROM duckdb_columns().'],
  ];
  await conn.run(researchSql.createReadme);
  for (const [section, content] of sections) await conn.run(researchSql.insertReadme, { section, content });
}

/** COMMENT ON every table and column, refusing any column without a description or with an identifier's name. */
async function commentAndVerify(conn: DuckDBConnection, models: Model[], k: number): Promise<void> {
  const columns = await queryRows<{ schema_name: string; table_name: string; column_name: string }>(conn, researchSql.extractColumns);
  const docs = (schema: string, table: string): { description: string; columns: Record<string, string> } => {
    if (schema === 'main') {
      const doc = EXTRACT_TABLES[table];
      if (!doc) throw new Error(`The research extract has an undocumented table ${table}.`);
      return doc;
    }
    const model = models.find((m) => m.layer === 'marts' && m.name === table)!;
    const rule = INCLUDED_MARTS.find((r) => r.name === table)!;
    const blank = rule.blank ? ` ${rule.blank.columns.join(', ')} are blanked where computed from fewer than ${k} people.` : '';
    const breakdowns = 'breakdown' in model.columns ? ' The gender, origin_region, residence_status and municipality groups hold the people whose value is released in participants; there is no age_band breakdown.' : '';
    return {
      description: `${model.description.trim()} In this extract: recomputed from the participants in the extract; rows describing fewer than ${k} people are left out.${blank}${breakdowns}`,
      columns: model.columns,
    };
  };
  const tables = [...new Set(columns.map((c) => `${c.schema_name}.${c.table_name}`))];
  for (const t of tables) {
    const [schema, table] = t.split('.') as [string, string];
    const doc = docs(schema, table);
    await conn.run(researchSql.commentTable(schema, table, doc.description));
    const mine = columns.filter((c) => c.schema_name === schema && c.table_name === table).map((c) => c.column_name);
    const undocumented = mine.filter((c) => !(c in doc.columns));
    const stale = Object.keys(doc.columns).filter((c) => !mine.includes(c));
    if (undocumented.length || stale.length) throw new Error(`Research extract table ${t}: ${[...undocumented.map((c) => `undocumented column ${c}`), ...stale.map((c) => `documented column ${c} it does not have`)].join('; ')}.`);
    const identifiers = mine.filter((c) => IDENTIFIER_COLUMNS.includes(c));
    if (identifiers.length) throw new Error(`Research extract table ${t} would hold identifiers: ${identifiers.join(', ')}.`);
    for (const c of mine) await conn.run(researchSql.commentColumn(schema, table, c, doc.columns[c]!.trim()));
  }
}
