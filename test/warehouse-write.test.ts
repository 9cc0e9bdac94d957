// The copy-and-swap writer and its lock, on real DuckDB files.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withConnection } from '../pipelines/db/connection.ts';
import { acquireLock } from '../pipelines/warehouse/lock.ts';
import { OutdatedWarehouseError } from '../pipelines/warehouse/layout.ts';
import { withWarehouseWrite } from '../pipelines/warehouse/write.ts';
import { fsyncTree, removeStrayWorkCopies, restoreInterruptedSwap, workCopyPath } from '../pipelines/work-copies.ts';
import { readOnlyRows, tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('withWarehouseWrite', () => {
  const db = join(dir.path, 'w.duckdb');

  it('creates the warehouse with its schemas and swaps in the change', async () => {
    await withWarehouseWrite(db, (conn) => conn.run("INSERT INTO raw.cohorts VALUES ('C1', 't', 'p', DATE '2024-01-01', DATE '2024-06-30', 1, 2)"));
    expect(await readOnlyRows(db, 'SELECT cohort_id FROM raw.cohorts')).toEqual([{ cohort_id: 'C1' }]);
    expect(readdirSync(dir.path).filter((n) => n.includes('next-') || n.endsWith('.lock') || n.endsWith('.wal'))).toEqual([]);
  });

  it('leaves the warehouse as it was when the change fails', async () => {
    await expect(
      withWarehouseWrite(db, async (conn) => {
        await conn.run("INSERT INTO raw.cohorts VALUES ('C2', 't', 'p', DATE '2024-01-01', DATE '2024-06-30', 1, 2)");
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await readOnlyRows(db, 'SELECT cohort_id FROM raw.cohorts')).toEqual([{ cohort_id: 'C1' }]);
    expect(readdirSync(dir.path).filter((n) => n.includes('next-'))).toEqual([]);
  });

  it('refuses a second writer while the first runs', async () => {
    let inner: unknown;
    await withWarehouseWrite(db, async () => {
      inner = await withWarehouseWrite(db, async () => 'ran').catch((e: Error) => e.message);
    });
    expect(inner).toMatch(/being changed by another impact process/);
  });

  it('removes a stray work copy left by a killed writer', async () => {
    // Above Linux's largest process id: no process can hold it.
    const stray = join(dir.path, '.w.duckdb.next-4194305');
    writeFileSync(stray, 'half-written');
    await withWarehouseWrite(db, async () => {});
    expect(existsSync(stray)).toBe(false);
  });
});

describe('work copies', () => {
  it('removes those of processes that no longer run, files and folders, and keeps those of a running one', async () => {
    const target = join(dir.path, 'extracts', 'x.duckdb');
    mkdirSync(dirname(target), { recursive: true });
    const dead = [workCopyPath(target, 'next', 4194305), `${workCopyPath(target, 'next', 4194305)}.wal`, workCopyPath(target, 'old', 4194306)];
    for (const path of dead) writeFileSync(path, 'half-written');
    mkdirSync(workCopyPath(target, 'next', 4194307));
    writeFileSync(join(workCopyPath(target, 'next', 4194307), 'data_0.parquet'), 'half-written');
    // A process that runs (the test runner's parent), and this process's own id, which a killed run may have had.
    const running = workCopyPath(target, 'next', process.ppid);
    writeFileSync(running, 'being written');
    writeFileSync(workCopyPath(target, 'next', process.pid), 'left by a killed run with this id');
    writeFileSync(`${workCopyPath(target, 'next', process.pid)}.wal`, 'its log');
    // A work copy of another target whose name starts the same way.
    const other = join(dirname(target), `${basename(workCopyPath(target, 'next', 5))}.next-${process.ppid}`);
    writeFileSync(other, 'work copy of x.duckdb.next-5');
    writeFileSync(join(dirname(target), 'x.duckdb'), 'the extract itself');
    await removeStrayWorkCopies(target);
    expect(readdirSync(dirname(target)).sort()).toEqual([basename(running), basename(other), 'x.duckdb'].sort());
  });

  it('puts back the previous folder when a run was killed between moving it aside and renaming its copy in', async () => {
    const target = join(dir.path, 'parquet-out');
    mkdirSync(workCopyPath(target, 'old', 4194305), { recursive: true });
    writeFileSync(join(workCopyPath(target, 'old', 4194305), 'manifest.json'), '{"previous":true}');
    await restoreInterruptedSwap(target);
    await removeStrayWorkCopies(target);
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('{"previous":true}');
  });

  it('flushes a folder tree without changing it', async () => {
    const tree = join(dir.path, 'tree');
    mkdirSync(join(tree, 'mart', 'period=2026-04-01'), { recursive: true });
    writeFileSync(join(tree, 'mart', 'period=2026-04-01', 'data_0.parquet'), 'rows');
    writeFileSync(join(tree, 'manifest.json'), '{}');
    await fsyncTree(tree);
    expect(readFileSync(join(tree, 'mart', 'period=2026-04-01', 'data_0.parquet'), 'utf8')).toBe('rows');
  });
});

describe('a warehouse made by an older version', () => {
  it('takes an enum that only gained values in place, keeping its rows', async () => {
    const db = join(dir.path, 'enum.duckdb');
    await withWarehouseWrite(db, async () => undefined);
    await withConnection(db, {}, async (conn) => {
      // As if the contract once knew two sources only.
      await conn.run("ALTER TABLE raw.income ALTER COLUMN source TYPE ENUM('payslip', 'self_report')");
      await conn.run("INSERT INTO raw.income VALUES ('00000000-0000-0000-0000-000000000001', DATE '2026-04-01', 250000, 'self_report', false, 1, 2)");
    });
    await withWarehouseWrite(db, async () => undefined);
    expect(await readOnlyRows(db, "SELECT data_type FROM duckdb_columns() WHERE table_name = 'income' AND column_name = 'source'")).toEqual([
      { data_type: "ENUM('payslip', 'tax_certificate', 'employer_report', 'self_report')" },
    ]);
    expect(await readOnlyRows(db, 'SELECT source, gross_income_jpy FROM raw.income')).toEqual([{ source: 'self_report', gross_income_jpy: '250000' }]);
  });

  it('adds an optional column the contract gained (sib_contracts.name_en) in place, keeping its rows', async () => {
    const db = join(dir.path, 'added.duckdb');
    await withWarehouseWrite(db, async () => undefined);
    await withConnection(db, {}, async (conn) => {
      // As before the contract gained name_en.
      await conn.run('ALTER TABLE raw.sib_contracts DROP COLUMN name_en');
      await conn.run("INSERT INTO raw.sib_contracts VALUES ('K1', '131041', '新宿区SIB', DATE '2024-01-01', DATE '2027-12-31', 1000000, 1, 2)");
    });
    await withWarehouseWrite(db, async () => undefined);
    expect(await readOnlyRows(db, "SELECT contract_id, name, name_en, load_id FROM raw.sib_contracts")).toEqual([{ contract_id: 'K1', name: '新宿区SIB', name_en: null, load_id: 1 }]);
  });

  it('is refused when an enum lost a value it may hold', async () => {
    const db = join(dir.path, 'enum-lost.duckdb');
    await withWarehouseWrite(db, async () => undefined);
    await withConnection(db, {}, (conn) => conn.run("ALTER TABLE raw.income ALTER COLUMN source TYPE ENUM('payslip', 'self_report', 'hearsay')"));
    await expect(withWarehouseWrite(db, async () => undefined)).rejects.toThrow(/raw\.income\.source is ENUM\('payslip', 'self_report', 'hearsay'\)/);
  });

  it('is refused, untouched, when a raw column has another type than this version stores', async () => {
    const old = join(dir.path, 'old.duckdb');
    await withConnection(old, {}, async (conn) => {
      // The layout before participant_id became a UUID: the pseudonym as 32 hex characters of text.
      await conn.run('CREATE SCHEMA raw; CREATE TABLE raw.income (participant_id VARCHAR, period DATE, gross_income_jpy BIGINT)');
      await conn.run("INSERT INTO raw.income VALUES ('0123456789abcdef0123456789abcdef', DATE '2026-04-01', 250000)");
    });
    const before = readFileSync(old);
    await expect(withWarehouseWrite(old, async () => undefined)).rejects.toBeInstanceOf(OutdatedWarehouseError);
    await expect(withWarehouseWrite(old, async () => undefined)).rejects.toThrow(
      /made by an older version of impact \(raw\.income\.participant_id is VARCHAR; this version stores UUID\)\. Move it aside and load the source files again/,
    );
    expect(readFileSync(old).equals(before)).toBe(true);
  });
});

describe('acquireLock', () => {
  it('takes over a lock whose process no longer runs, and refuses a live one', () => {
    const path = join(dir.path, 'x.lock');
    writeFileSync(path, '999999999'); // no such process
    const release = acquireLock(path, 'busy');
    expect(() => acquireLock(path, 'busy')).toThrow(`busy (process ${process.pid})`);
    release();
    expect(existsSync(path)).toBe(false);
  });

  it("takes over a lock naming this process's own id that this process does not hold (a restarted container's)", () => {
    const path = join(dir.path, 'own.lock');
    writeFileSync(path, String(process.pid)); // left by an earlier process that had this id
    const release = acquireLock(path, 'busy');
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    // Held by this process now: a second writer in it must still wait.
    expect(() => acquireLock(path, 'busy')).toThrow(`busy (process ${process.pid})`);
    release();
    expect(existsSync(path)).toBe(false);
  });
});
