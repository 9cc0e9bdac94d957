// Making report files from a warehouse: opened read-only, one snapshot read for all the reports of
// a run, files written whole (to a temporary name, then renamed) so a reader never sees half a PDF.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { withConnection } from '../pipelines/db/connection.ts';
import type { Lang } from './i18n.ts';
import { loadFunderData, renderFunderReport } from './funder.ts';
import { listContracts, loadMunicipalData, renderMunicipalReport } from './municipal.ts';
import type { Period } from './period.ts';
import { readSnapshot, type Snapshot } from './snapshot.ts';

export interface MunicipalRequest {
  db: string;
  period: Period;
  lang: Lang;
  issuedOn: string;
  issuer?: string;
}

export interface WrittenReport {
  file: string;
  contractId?: string;
  bytes: number;
  ms: number;
}

export function writeAtomically(file: string, bytes: Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

/** A file name safe on every system for a contract's report: SIB-SHINJUKU-2023_2026Q3_ja.pdf */
export function municipalFileName(contractId: string, period: Period, lang: Lang): string {
  return `${contractId.replace(/[^A-Za-z0-9._-]/g, '_')}_${period.text}_${lang}.pdf`;
}

/**
 * Municipal reports for the given contracts (all when `contractIds` is null), one PDF each.
 * `outFor` names each file; `onReport` is told after each one (for progress).
 */
export async function writeMunicipalReports(
  req: MunicipalRequest,
  contractIds: readonly string[] | null,
  outFor: (contractId: string) => string,
  onReport?: (done: number, total: number, report: WrittenReport) => void,
): Promise<{ snapshot: Snapshot; reports: WrittenReport[] }> {
  return withConnection(req.db, { readOnly: true }, async (conn) => {
    const snapshot = await readSnapshot(conn);
    const contracts = await listContracts(conn);
    const ids = contractIds ?? contracts.map((c) => c.contract_id);
    if (ids.length === 0) throw new Error('The warehouse has no SIB contracts to report on.');
    const reports: WrittenReport[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const data = await loadMunicipalData(conn, contracts, id, req.period, snapshot);
      const pdf = await renderMunicipalReport(data, { lang: req.lang, issuedOn: req.issuedOn, issuer: req.issuer });
      const file = outFor(id);
      writeAtomically(file, pdf);
      const report = { file, contractId: id, bytes: pdf.length, ms: performance.now() - t0 };
      reports.push(report);
      onReport?.(reports.length, ids.length, report);
    }
    return { snapshot, reports };
  });
}

export const defaultReportDir = (db: string) => join(dirname(db), 'reports');

/** The funder report for a period, one PDF. */
export async function writeFunderReport(req: MunicipalRequest, file: string): Promise<{ snapshot: Snapshot; report: WrittenReport }> {
  return withConnection(req.db, { readOnly: true }, async (conn) => {
    const t0 = performance.now();
    const snapshot = await readSnapshot(conn);
    const data = await loadFunderData(conn, req.period, snapshot);
    const pdf = await renderFunderReport(data, { lang: req.lang, issuedOn: req.issuedOn, issuer: req.issuer });
    writeAtomically(file, pdf);
    return { snapshot, report: { file, bytes: pdf.length, ms: performance.now() - t0 } };
  });
}
