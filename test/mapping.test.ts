import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseHeader, readMappingFile, resolveColumns, ruleFor } from '../pipelines/ingest/mapping.ts';
import { entityFromFileName, planSources } from '../pipelines/ingest/sources.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());
/** Mapping files with mistakes, kept out of the folder the plan test reads. */
const errors = join(dir.path, 'errors');
mkdirSync(errors);

describe('entity from file name', () => {
  it.each([
    ['income.csv', 'income'],
    ['income-2026-04.xlsx', 'income'],
    ['INCOME_2026.csv', 'income'],
    ['sib_outcomes.csv', 'sib_outcomes'],
    ['sib_outcomes-tokyo.csv', 'sib_outcomes'],
    ['participants.2026.parquet', 'participants'],
    ['incomes.csv', null],
    ['給与.csv', null],
  ])('%s → %s', (file, entity) => expect(entityFromFileName(file)).toBe(entity));
});

describe('headers', () => {
  it('ignores case, width, spaces and hyphens', () => {
    expect(normaliseHeader(' Participant-Ref ')).toBe('participant_ref');
    expect(normaliseHeader('ＧＲＯＳＳ　ＩＮＣＯＭＥ　ＪＰＹ')).toBe('gross_income_jpy');
  });

  it('binds Japanese headers through the contract aliases and drops direct identifiers', () => {
    const r = resolveColumns('participants', ['参加者番号', '氏名', '生年', '性別', '出身国', '在留資格', '市区町村コード', '研究同意', '電話番号', 'メモ']);
    expect(r.missing).toEqual([]);
    const bound = Object.fromEntries(r.bindings.map((b) => [b.column, b.header]));
    expect(bound).toMatchObject({ participant_ref: '参加者番号', birth_year: '生年', gender: '性別', country_of_origin: '出身国' });
    expect(bound).not.toHaveProperty('name');
    expect(r.dropped).toEqual([
      { header: '氏名', why: 'direct identifier' },
      { header: '電話番号', why: 'direct identifier' },
      { header: 'メモ', why: 'not in the contract' },
    ]);
  });

  it('reports two source headers for one contract column as a conflict, unless the mapping names the one to use', () => {
    const headers = ['participant_ref', '対象月', '月収', 'gross_income_jpy', '出典', '確認済'];
    const r = resolveColumns('income', headers);
    expect(r.conflicts).toEqual([{ column: 'gross_income_jpy', headers: ['gross_income_jpy', '月収'] }]);
    // Spellings that differ only in case or width are two columns too.
    expect(resolveColumns('income', ['participant_ref', 'Participant Ref', 'period', '月収', 'source', 'verified']).conflicts).toEqual([
      { column: 'participant_ref', headers: ['participant_ref', 'Participant Ref'] },
    ]);
    const rule = { match: '*', columns: { 月収: 'gross_income_jpy' }, defaults: {}, values: {} };
    const mapped = resolveColumns('income', headers, rule);
    expect(mapped.conflicts).toEqual([]);
    expect(mapped.bindings.find((b) => b.column === 'gross_income_jpy')?.header).toBe('月収');
    expect(mapped.dropped).toEqual([{ header: 'gross_income_jpy', why: 'mapped from another header' }]);
  });

  it('takes whichever of several headers the mapping names for one column the file has, and refuses a file with two of them', () => {
    // One rule for exports that spell the column differently.
    const rule = { match: '*', columns: { 月収: 'gross_income_jpy', 総支給額: 'gross_income_jpy' }, defaults: {}, values: {} };
    const first = resolveColumns('income', ['participant_ref', 'period', '月収', 'source', 'verified'], rule);
    expect(first.missing).toEqual([]);
    expect(first.bindings.find((b) => b.column === 'gross_income_jpy')?.header).toBe('月収');
    const both = resolveColumns('income', ['participant_ref', 'period', '月収', '総支給額', 'source', 'verified'], rule);
    expect(both.conflicts).toEqual([{ column: 'gross_income_jpy', headers: ['月収', '総支給額'], mapped: true }]);
    const neither = resolveColumns('income', ['participant_ref', 'period', 'source', 'verified'], rule);
    expect(neither.missing).toEqual([{ column: 'gross_income_jpy', lookedFor: ['月収', '総支給額'] }]);
  });

  it('reports every required column it cannot find, with the headers it looked for', () => {
    const r = resolveColumns('income', ['participant_ref', 'period']);
    expect(r.missing.map((m) => m.column)).toEqual(['gross_income_jpy', 'source', 'verified']);
    expect(r.missing[0]!.lookedFor).toContain('月収');
  });
});

describe('mapping files', () => {
  const yaml = join(dir.path, 'impact.mapping.yaml');
  writeFileSync(
    yaml,
    `version: 1
sources:
  - match: "payroll-*.csv"
    entity: income
    encoding: shift_jis
    columns: { 社員コード: participant_ref, 支給年月: period, 総支給: gross_income_jpy }
    defaults: { source: payslip, verified: true }
`,
  );

  it('maps a payroll export onto the contract, with defaults for columns it lacks', () => {
    const mapping = readMappingFile(yaml);
    const rule = ruleFor(mapping, '/x/payroll-2026-04.csv')!;
    expect(rule.entity).toBe('income');
    const r = resolveColumns('income', ['社員コード', '支給年月', '総支給', '氏名'], rule);
    expect(r.missing).toEqual([]);
    expect(r.bindings.find((b) => b.column === 'source')).toMatchObject({ header: null, default: 'payslip' });
    expect(ruleFor(mapping, 'bank.csv')).toBeUndefined();
  });

  it('rejects a mapping onto a column the entity does not have', () => {
    const bad = join(dir.path, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, sources: [{ match: '*.csv', entity: 'income', columns: { x: 'salary' } }] }));
    expect(() => readMappingFile(bad)).toThrow(/"salary", which is not a column of income/);
  });

  it('rejects an unknown key with a readable message', () => {
    const bad = join(dir.path, 'bad2.json');
    writeFileSync(bad, JSON.stringify({ version: 1, sources: [{ match: '*.csv', colums: {} }] }));
    expect(() => readMappingFile(bad)).toThrow(/not valid/);
  });

  it('names the file and the line of an unknown key, a value of the wrong kind, or a column the entity lacks', () => {
    const file = join(errors, 'typo.mapping.yaml');
    writeFileSync(file, 'version: 1\nsources:\n  - match: "*.csv"\n    entity: income\n    colums: { 月収: gross_income_jpy }\n');
    expect(() => readMappingFile(file)).toThrow('typo.mapping.yaml: the mapping file is not valid: Unrecognized key: "colums" in sources[0] (line 5).');
    writeFileSync(file, 'version: 1\nsources:\n  - match: "*.csv"\n    header_row: 0\n');
    expect(() => readMappingFile(file)).toThrow('typo.mapping.yaml: the mapping file is not valid: Too small: expected number to be >=1 in sources[0].header_row (line 4).');
    writeFileSync(file, 'version: 1\nsources:\n  - match: "*.csv"\n    entity: income\n    columns:\n      月収: gross_income_jpy\n      給与: salary\n');
    expect(() => readMappingFile(file)).toThrow('typo.mapping.yaml: the mapping file maps onto "salary", which is not a column of income (line 7).');
  });

  it('names the file and the line of a YAML syntax error', () => {
    const file = join(errors, 'broken.mapping.yaml');
    writeFileSync(file, 'version: 1\nsources:\n  - match: "*.csv"\n    columns: { 月収: gross_income_jpy\n');
    expect(() => readMappingFile(file)).toThrow(/^broken\.mapping\.yaml: the mapping file is not valid YAML at line \d+(, column \d+)?: \S/);
    writeFileSync(file, 'version: 1\nversion: 1\nsources: []\n');
    expect(() => readMappingFile(file)).toThrow(/^broken\.mapping\.yaml: the mapping file is not valid YAML at line 2, column 1: Map keys must be unique/);
  });

  it('refuses a YAML alias bomb (billion laughs) in one sentence, before it expands', () => {
    const file = join(errors, 'bomb.mapping.yaml');
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`);
    writeFileSync(file, ['version: 1', ...levels, 'sources: [{ match: "*.csv", entity: income }]', ''].join('\n'));
    const started = Date.now();
    expect(() => readMappingFile(file)).toThrow('bomb.mapping.yaml: the mapping file expands its YAML aliases (*name) more than 20 times, as a file built to exhaust memory does; write the values out instead.');
    expect(Date.now() - started).toBeLessThan(2000);
    // A few aliases, as a long file may use to share defaults, are fine.
    writeFileSync(file, 'version: 1\nsources:\n  - match: "a-*.csv"\n    entity: income\n    defaults: &d { source: payslip, verified: true }\n  - match: "b-*.csv"\n    entity: income\n    defaults: *d\n');
    expect(readMappingFile(file).sources[1]!.defaults).toEqual({ source: 'payslip', verified: true });
  });

  it('accepts header_row for a source whose header is not on its first row', () => {
    const file = join(errors, 'header-row.mapping.yaml');
    writeFileSync(file, 'version: 1\nsources:\n  - match: "payroll-*.xlsx"\n    entity: income\n    header_row: 3\n');
    expect(ruleFor(readMappingFile(file), 'payroll-2026-04.xlsx')?.header_row).toBe(3);
    expect(readFileSync(file, 'utf8')).toContain('header_row');
  });

  it('plans files in dependency order and takes entities from the mapping', () => {
    for (const f of ['income.csv', 'participants.csv', 'payroll-2026-04.csv', 'notes.docx', 'manifest.json']) writeFileSync(join(dir.path, f), 'x\n');
    const plan = planSources([dir.path], { mapping: readMappingFile(yaml) });
    expect(plan.sources.map((s) => [s.entity, s.file.split('/').pop()])).toEqual([
      ['participants', 'participants.csv'],
      ['income', 'income.csv'],
      ['income', 'payroll-2026-04.csv'],
    ]);
    expect(plan.skipped.map((s) => s.file.split('/').pop())).toEqual(['bad.json', 'bad2.json', 'notes.docx']);
  });
});
