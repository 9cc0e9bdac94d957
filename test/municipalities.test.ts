// The official local government code list (data/reference/municipalities.tsv) as the pipeline reads it.
import { describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkDigit, checkDigitValid, municipality, municipalityName, MUNICIPALITY_LIST } from '../pipelines/reference/municipalities.ts';
import { writeReferenceTables } from '../pipelines/models/reference-tables.ts';
import { MUNICIPALITIES as DEMO_MUNICIPALITIES } from '../pipelines/demo/municipalities.ts';
import { queryRows } from '../pipelines/db/connection.ts';

const count = (kind: string) => MUNICIPALITY_LIST.filter((m) => m.kind === kind).length;

describe('the local government code list', () => {
  it('has every prefecture, municipality, special ward and designated-city ward, once each', () => {
    expect(count('prefecture')).toBe(47);
    expect(count('special_ward')).toBe(23);
    // 1,718 市町村 (20 of them designated cities) and the six Northern Territories villages the list keeps.
    expect(count('municipality') + count('designated_city')).toBe(1718 + 6);
    expect(count('designated_city')).toBe(20);
    expect(count('ward')).toBe(175);
    expect(new Set(MUNICIPALITY_LIST.map((m) => m.code)).size).toBe(MUNICIPALITY_LIST.length);
  });

  it('gives every code a valid check digit and a prefecture that matches its first two digits', () => {
    const prefectureOf = new Map(MUNICIPALITY_LIST.filter((m) => m.kind === 'prefecture').map((m) => [m.code.slice(0, 2), m.prefecture]));
    for (const m of MUNICIPALITY_LIST) {
      expect(checkDigitValid(m.code), m.code).toBe(true);
      expect(m.prefecture, m.code).toBe(prefectureOf.get(m.code.slice(0, 2)));
      expect(m.nameRomaji, m.code).toMatch(/^[A-Z][a-z]+(?:[ ,-]+[A-Z]?[a-z]+)*$/);
      expect(m.name, m.code).toMatch(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u);
    }
  });

  it('names the known examples in Japanese and in romaji', () => {
    expect(municipality('131041')).toMatchObject({ kind: 'special_ward', prefecture: '東京都', name: '新宿区', nameRomaji: 'Shinjuku', prefectureRomaji: 'Tokyo' });
    expect(municipality('281000')).toMatchObject({ kind: 'designated_city', prefecture: '兵庫県', name: '神戸市', nameRomaji: 'Kobe', prefectureRomaji: 'Hyogo' });
    expect(municipality('132012')).toMatchObject({ kind: 'municipality', name: '八王子市', nameRomaji: 'Hachioji' });
    expect(municipality('141011')).toMatchObject({ kind: 'ward', prefecture: '神奈川県', name: '横浜市鶴見区', nameRomaji: 'Tsurumi, Yokohama' });
    expect(municipality('130001')).toMatchObject({ kind: 'prefecture', prefecture: '東京都', name: '東京都', prefectureRomaji: 'Tokyo' });
    expect(municipality('139998')).toBeUndefined();
  });

  it('prints names as the reports do, with or without the code', () => {
    expect(municipalityName('131041', 'ja')).toBe('東京都新宿区（131041）');
    expect(municipalityName('131041', 'en')).toBe('Shinjuku, Tokyo (131041)');
    expect(municipalityName('131041', 'ja', { withCode: false })).toBe('東京都新宿区');
    expect(municipalityName('131041', 'en', { withCode: false })).toBe('Shinjuku, Tokyo');
    expect(municipalityName('141011', 'en', { withCode: false })).toBe('Tsurumi, Yokohama, Kanagawa');
    expect(municipalityName('130001', 'ja', { withCode: false })).toBe('東京都');
    expect(municipalityName('999999', 'ja')).toBe('999999');
  });

  it('checks the check digit as the 総務省 rule gives it', () => {
    expect(checkDigit('13104')).toBe(1);
    expect(checkDigit('14100')).toBe(3);
    expect(checkDigitValid('131042')).toBe(false);
    expect(checkDigitValid('13104')).toBe(false);
  });

  it("holds every code the demo uses, so the demo's rows pass the ingest's check", () => {
    for (const m of DEMO_MUNICIPALITIES) expect(municipality(m.code), m.code).toMatchObject({ prefecture: m.prefecture, name: m.name });
  });

  it('is written to ref.municipalities at each build', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      await writeReferenceTables(conn);
      const rows = await queryRows<{ n: bigint; shinjuku: string }>(conn, "SELECT count(*) AS n, any_value(name_romaji) FILTER (code = '131041') AS shinjuku FROM ref.municipalities");
      expect(Number(rows[0]!.n)).toBe(MUNICIPALITY_LIST.length);
      expect(rows[0]!.shinjuku).toBe('Shinjuku');
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
