// The generated validation SQL on a real in-memory warehouse, with `_source` filled by hand:
// one rule at a time, and the counts that must add up.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { EntityName } from '../pipelines/contract/entities.ts';
import { installNormalisers } from '../pipelines/contract/normalisers.ts';
import { queryRows } from '../pipelines/db/connection.ts';
import { resolveColumns } from '../pipelines/ingest/mapping.ts';
import { validateStaged } from '../pipelines/ingest/load-file.ts';
import * as V from '../pipelines/ingest/validation-sql.ts';
import { participantId } from '../pipelines/privacy/key.ts';
import { quotedIdentifier as q, quotedString } from '../pipelines/sql.ts';
import { warehouseDdl } from '../pipelines/warehouse/ddl.ts';

/** The pseudonym of a reference, as the loader makes it (the key is a test's own). */
const id = (ref: string) => participantId(Buffer.alloc(32, 1), ref);

let instance: DuckDBInstance;
let conn: DuckDBConnection;
beforeEach(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(warehouseDdl());
  await installNormalisers(conn);
});
afterEach(() => {
  conn.closeSync();
  instance.closeSync();
});

/**
 * Stages `rows` (header first) as a reader would, validates as the loader does (or in one pass, every parser
 * planned), and returns rejects and good rows.
 */
async function validate(entity: EntityName, rows: Array<Array<string | null>>, onePass = false, encoding: string | null = null) {
  const [header, ...data] = rows as [string[], ...Array<Array<string | null>>];
  await conn.run(`CREATE OR REPLACE TEMP TABLE _source (_row BIGINT, ${header.map((h) => `${q(h)} VARCHAR`).join(', ')})`);
  await conn.run('CREATE OR REPLACE TEMP TABLE _source_rejects (_row BIGINT, column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)');
  for (const [i, r] of data.entries()) {
    await conn.run(`INSERT INTO _source VALUES (${i + 2}, ${r.map((v) => (v === null ? 'NULL' : quotedString(v))).join(', ')})`);
  }
  const mapping = resolveColumns(entity, header);
  expect(mapping.missing).toEqual([]);
  await conn.run(V.stageSql(mapping.bindings));
  await conn.run(V.PSEUDONYM_TABLE_DDL);
  const refs = V.participantRefsSql(entity);
  if (refs) {
    for (const { raw, ref } of await queryRows<{ raw: string; ref: string | null }>(conn, refs)) {
      if (ref !== null) await conn.run('INSERT INTO _pseudonyms VALUES ($raw, $id)', { raw, id: id(ref) });
    }
  }
  if (onePass) {
    for (const sql of [V.checkedSql(entity), V.dupsSql(entity), V.rejectsSql(entity), V.goodSql(entity)]) await conn.run(sql);
  } else {
    await validateStaged(conn, entity, encoding);
  }
  const rejects = await queryRows<{ row: number; column_name: string; reason: string }>(conn, 'SELECT _row::INTEGER AS row, column_name, reason FROM _rejects ORDER BY _row, column_name');
  const good = await queryRows(conn, 'SELECT * EXCLUDE (source_row) FROM _good ORDER BY source_row');
  return { rejects, good };
}

async function insertParticipants(...refs: string[]) {
  for (const ref of refs) {
    await conn.run(`INSERT INTO raw.participants VALUES ($id, 1990, 'female', 'MMR', 'refugee', '131041', NULL, NULL, true, 0, 0)`, { id: id(ref) });
  }
}

describe('participants', () => {
  const header = ['participant_ref', 'birth_year', 'gender', 'country_of_origin', 'residence_status', 'municipality_code', 'consent_research', 'name'];

  it('types and normalises good rows and never stages a direct identifier', async () => {
    const { rejects, good } = await validate('participants', [
      header,
      ['ＷＪ－１', '１９９０', '女性', 'ミャンマー', '難民', '13104', 'はい', 'Aung San'],
      ['WJ-2', '1985', 'Male', 'afg', 'asylum seeker', '131041', 'no', 'Other Name'],
    ]);
    expect(rejects).toEqual([]);
    expect(good).toEqual([
      { participant_id: id('WJ-1'), birth_year: 1990, gender: 'female', country_of_origin: 'MMR', residence_status: 'refugee', municipality_code: '131041', arrival_date: null, japanese_level: null, consent_research: true },
      { participant_id: id('WJ-2'), birth_year: 1985, gender: 'male', country_of_origin: 'AFG', residence_status: 'asylum_seeker', municipality_code: '131041', arrival_date: null, japanese_level: null, consent_research: false },
    ]);
    const staged = await queryRows(conn, "SELECT column_name FROM duckdb_columns() WHERE table_name = '_stage'");
    expect(staged.map((c) => c.column_name)).not.toContain('name');
  });

  it('gives one reason per bad column, in words staff can act on', async () => {
    const { rejects, good } = await validate('participants', [
      header,
      ['WJ-1', '1890', 'woman?', 'Atlantis', 'refugee', '131042', 'yes', null],
      [null, '1990', 'female', 'MMR', 'refugee', '47', 'maybe', null],
    ]);
    expect(good).toEqual([]);
    expect(rejects).toEqual([
      { row: 2, column_name: 'birth_year', reason: 'must be between 1900 and the current year' },
      { row: 2, column_name: 'country_of_origin', reason: expect.stringMatching(/^not a known country/) },
      { row: 2, column_name: 'gender', reason: 'not one of: female, male, nonbinary, undisclosed' },
      { row: 2, column_name: 'municipality_code', reason: 'check digit (6th digit) does not match the first five digits' },
      { row: 3, column_name: 'consent_research', reason: expect.stringMatching(/^not a yes\/no value/) },
      { row: 3, column_name: 'municipality_code', reason: expect.stringMatching(/^not a local government code/) },
      { row: 3, column_name: 'participant_ref', reason: 'required value is missing' },
    ]);
  });

  it('rejects a well-formed code that names no local government, and keeps the row with its reason', async () => {
    // 139998: prefecture 13 and a valid check digit, but Tokyo has no municipality 999.
    const { rejects, good } = await validate('participants', [
      header,
      ['WJ-1', '1990', 'female', 'MMR', 'refugee', '139998', 'yes', null],
      ['WJ-2', '1990', 'female', 'MMR', 'refugee', '141011', 'yes', null],
    ]);
    expect(good.map((g) => g.municipality_code)).toEqual(['141011']);
    expect(rejects).toEqual([{ row: 2, column_name: 'municipality_code', reason: expect.stringMatching(/^no local government has this code in the official list/) }]);
  });

  it('keeps the first of two rows with the same key and rejects the second as its duplicate', async () => {
    const row = ['WJ-1', '1990', 'female', 'MMR', 'refugee', '13104', 'yes', null];
    const { rejects, good } = await validate('participants', [header, row, row, ['WJ-2', ...row.slice(1)]]);
    expect(good.map((g) => g.participant_id)).toEqual([id('WJ-1'), id('WJ-2')]);
    expect(rejects).toEqual([{ row: 3, column_name: 'participant_ref', reason: 'duplicate of row 2 (same participant_ref)' }]);
  });
});

describe('enrollments', () => {
  const header = ['participant_ref', 'cohort_id', 'enrolled_on', 'status', 'completed_on', 'withdrawn_on', 'training_cost_jpy'];
  beforeEach(async () => {
    await insertParticipants('P1', 'P2');
    await conn.run("INSERT INTO raw.cohorts VALUES ('C1', 'web', 'prov', DATE '2024-04-01', DATE '2024-09-30', 0, 0)");
  });

  it('applies the cross-column rules and the references', async () => {
    const { rejects, good } = await validate('enrollments', [
      header,
      ['P1', 'C1', '2024-04-01', '修了', '令和6年9月30日', null, '¥600,000'],
      ['P2', 'C1', '2024-04-01', 'completed', null, null, '600000'],
      ['P2', 'C9', '2024-04-01', 'withdrawn', null, '2024-03-01', '-5'],
      ['P3', 'C1', '2024-04-01', 'enrolled', '2024-09-30', null, '600000'],
    ]);
    expect(good).toEqual([{ participant_id: id('P1'), cohort_id: 'C1', enrolled_on: '2024-04-01', status: 'completed', completed_on: '2024-09-30', withdrawn_on: null, training_cost_jpy: '600000' }]);
    expect(rejects).toEqual([
      { row: 3, column_name: 'completed_on', reason: 'completed_on is required when status is completed' },
      { row: 4, column_name: 'cohort_id', reason: 'unknown cohort_id: no cohort with this cohort_id has been loaded' },
      { row: 4, column_name: 'training_cost_jpy', reason: 'must be at least 0 yen' },
      { row: 4, column_name: 'withdrawn_on', reason: 'withdrawn_on is before enrolled_on' },
      { row: 5, column_name: 'completed_on', reason: 'completed_on is given but status is not completed' },
      { row: 5, column_name: 'participant_ref', reason: 'unknown participant_ref: no participant with this participant_ref has been loaded' },
    ]);
  });
});

describe('income', () => {
  it('reads Japanese months and amounts, and keys duplicates on participant, period and source', async () => {
    await insertParticipants('P1');
    const { rejects, good } = await validate('income', [
      ['参加者番号', '対象月', '月収', '出典', '確認済'],
      ['P1', '令和8年4月', '２５０，０００円', '給与明細', 'はい'],
      ['P1', '2026-04', '250000', 'self_report', 'no'],
      ['P1', 'R8.4', '260,000', 'payslip', 'yes'],
      ['P1', '2026-13', '1', 'payslip', 'yes'],
    ]);
    expect(good).toEqual([
      { participant_id: id('P1'), period: '2026-04-01', gross_income_jpy: '250000', source: 'payslip', verified: true },
      { participant_id: id('P1'), period: '2026-04-01', gross_income_jpy: '250000', source: 'self_report', verified: false },
    ]);
    expect(rejects).toEqual([
      { row: 4, column_name: 'participant_ref, period, source', reason: 'duplicate of row 2 (same participant_ref, period, source)' },
      { row: 5, column_name: 'period', reason: expect.stringMatching(/^not a valid month/) },
    ]);
  });
});

describe('structural rejects from the reader', () => {
  it('are reported with the rest and not loaded', async () => {
    await conn.run('CREATE OR REPLACE TEMP TABLE _source_rejects (_row BIGINT, column_name VARCHAR, raw_value VARCHAR, reason VARCHAR)');
    const header = ['contract_id', 'date', 'party', 'amount_jpy'];
    await conn.run("INSERT INTO raw.sib_contracts VALUES ('K1', '131041', 'Shinjuku', DATE '2024-01-01', DATE '2027-12-31', 1000000, NULL, 0, 0)");
    const { rejects, good } = await validate('sib_cashflows', [header, ['K1', '2024-01-10', 'investor', '-500,000'], ['K1', '2024-01-10', 'investor', '-1']]);
    expect(good).toHaveLength(1);
    expect(rejects).toEqual([{ row: 3, column_name: 'contract_id, date, party', reason: 'duplicate of row 2 (same contract_id, date, party)' }]);
  });
});

describe('a file decoded from Shift_JIS', () => {
  it("reads a yen column's backslash as the yen sign (CP932 byte 0x5C) and leaves other columns' backslashes", async () => {
    await conn.run("INSERT INTO raw.sib_contracts VALUES ('K\\1', '131041', 'Shinjuku', DATE '2024-01-01', DATE '2027-12-31', 1000000, NULL, 0, 0)");
    const rows = [['contract_id', 'date', 'party', 'amount_jpy'], ['K\\1', '2024-01-10', 'investor', '－\\1,000'], ['K\\1', '2024-01-11', 'investor', '\\250,000']];
    const sjis = await validate('sib_cashflows', rows, false, 'shift_jis');
    expect(sjis.rejects).toEqual([]);
    expect(sjis.good.map((g) => [g.contract_id, g.amount_jpy])).toEqual([['K\\1', '-1000'], ['K\\1', '250000']]);
    const utf8 = await validate('sib_cashflows', rows, false, 'utf-8');
    expect(utf8.rejects.map((r) => [r.row, r.column_name])).toEqual([[2, 'amount_jpy'], [3, 'amount_jpy']]);
  });
});

describe('values not in canonical form', () => {
  it('are parsed in a second pass, with the same result as parsing every value at once', async () => {
    await insertParticipants('P1', 'P2', 'P3');
    await conn.run("INSERT INTO raw.cohorts VALUES ('C1', 'web', 'prov', DATE '2024-04-01', DATE '2024-09-30', 0, 0)");
    const rows = [
      ['participant_ref', 'cohort_id', 'enrolled_on', 'status', 'completed_on', 'withdrawn_on', 'training_cost_jpy'],
      ['P1', 'C1', '2024-04-01', 'completed', '2024-09-30', null, '600000'],
      ['P2', 'C1', '令和6年4月1日', '修了', 'R6.9.30', 'NA', '¥600,000'],
      ['P3', 'C1', '2024/4/1', 'withdrawn', null, '2024-13-01', '60万円'],
      ['P3', 'C1', '20240401', 'withdrawn', null, '2024/07/01', '600000'],
      ['P1', 'C1', '2024-04-01', 'completed', '2024-9-30', null, '600,000'],
    ];
    const twoPass = await validate('enrollments', rows);
    expect(twoPass.good.map((g) => g.participant_id)).toEqual([id('P1'), id('P2'), id('P3')]);
    expect(twoPass.rejects).toEqual([
      { row: 4, column_name: 'withdrawn_on', reason: expect.stringMatching(/^not a valid date/) },
      { row: 6, column_name: 'participant_ref, cohort_id', reason: 'duplicate of row 2 (same participant_ref, cohort_id)' },
    ]);
    expect(await validate('enrollments', rows, true)).toEqual(twoPass);
  });
});
