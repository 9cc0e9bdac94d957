import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseHeader, readMappingFile, resolveColumns, ruleFor } from '../pipelines/ingest/mapping.ts';
import { entityFromFileName, planSources } from '../pipelines/ingest/sources.ts';
import { tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

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
