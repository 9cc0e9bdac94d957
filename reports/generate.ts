// Making report files from a warehouse: opened read-only, one snapshot read for all the reports of
// a run, files written whole (to a temporary name, then renamed) so a reader never sees half a PDF.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

/** Characters a file name cannot hold on Windows, macOS or Linux: separators, Windows' reserved punctuation, controls. */
const UNSAFE_IN_FILE_NAMES = /[<>:"/\\|?*\u0000-\u001f\u007f-\u009f]/g;
/** Names Windows reserves for devices, whatever the extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)$/i;
const MAX_STEM = 80;

const shortHash = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);

/**
 * A contract id as the start of a file name: Unicode kept (NFC, as macOS would store it anyway:
 * 新宿区SIB-2023 stays 新宿区SIB-2023), unsafe characters replaced by "_", and a short hash of the id
 * added whenever the name is not the id itself, so two ids never share a name through what was replaced.
 */
export function contractFileStem(contractId: string): string {
  const safe = contractId
    .normalize('NFC')
    .replace(UNSAFE_IN_FILE_NAMES, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '_') // a leading dot hides a file; Windows drops trailing dots and spaces
    .slice(0, MAX_STEM);
  const stem = WINDOWS_DEVICE.test(safe) ? `${safe}_` : safe;
  return stem === contractId ? stem : `${stem}-${shortHash(contractId)}`;
}

/**
 * The report file name of each contract: 新宿区SIB-2023_2026Q3_ja.pdf. Names that would still be one
 * file (they differ only in case, and macOS and Windows ignore case) each get the short hash too.
 */
export function municipalFileNames(contractIds: readonly string[], period: Period, lang: Lang): Map<string, string> {
  const stems = new Map(contractIds.map((id) => [id, contractFileStem(id)]));
  const key = (stem: string) => stem.toLowerCase();
  const uses = new Map<string, number>();
  for (const stem of stems.values()) uses.set(key(stem), (uses.get(key(stem)) ?? 0) + 1);
  return new Map(
    [...stems].map(([id, stem]) => {
      const unique = uses.get(key(stem)) === 1 || stem !== id ? stem : `${stem}-${shortHash(id)}`;
      return [id, `${unique}_${period.text}_${lang}.pdf`];
    }),
  );
}

/** Refuses, before anything is written, a run that would write two reports to one file (the second would replace the first). */
function assertDistinctFiles(files: Map<string, string>): void {
  const seen = new Map<string, string>();
  for (const [id, file] of files) {
    const key = resolve(file).normalize('NFC').toLowerCase();
    const other = seen.get(key);
    if (other !== undefined) throw new Error(`The reports of contracts ${other} and ${id} would both be written to ${file}; nothing was written (give each its own --out).`);
    seen.set(key, id);
  }
}

/**
 * Municipal reports for the given contracts (all when `contractIds` is null), one PDF each.
 * `outFor` places each file, given its name (municipalFileNames); `onReport` is told after each one (for progress).
 */
export async function writeMunicipalReports(
  req: MunicipalRequest,
  contractIds: readonly string[] | null,
  outFor: (contractId: string, fileName: string) => string,
  onReport?: (done: number, total: number, report: WrittenReport) => void,
): Promise<{ snapshot: Snapshot; reports: WrittenReport[] }> {
  return withConnection(req.db, { readOnly: true }, async (conn) => {
    const snapshot = await readSnapshot(conn);
    const contracts = await listContracts(conn);
    const ids = contractIds ?? contracts.map((c) => c.contract_id);
    if (ids.length === 0) throw new Error('The warehouse has no SIB contracts to report on.');
    const names = municipalFileNames(ids, req.period, req.lang);
    const files = new Map(ids.map((id) => [id, outFor(id, names.get(id)!)]));
    assertDistinctFiles(files);
    const reports: WrittenReport[] = [];
    for (const id of ids) {
      const t0 = performance.now();
      const data = await loadMunicipalData(conn, contracts, id, req.period, snapshot);
      const pdf = await renderMunicipalReport(data, { lang: req.lang, issuedOn: req.issuedOn, issuer: req.issuer });
      const file = files.get(id)!;
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
