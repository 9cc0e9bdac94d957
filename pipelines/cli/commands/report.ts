// impact report: the municipal outcome reports and the funder report, as PDF (reports/).
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { withConnection } from '../../db/connection.ts';
import { DEFAULT_DB } from '../../warehouse/paths.ts';
import { info, progress } from '../output.ts';
import { todayUtc } from './build.ts';
import { defaultReportDir, writeFunderReport, writeMunicipalReports, type WrittenReport } from '../../../reports/generate.ts';
import { LANGS, type Lang } from '../../../reports/i18n.ts';
import { latestCompletePeriod, parsePeriod, type Period } from '../../../reports/period.ts';
import { readSnapshot } from '../../../reports/snapshot.ts';
import { isIsoDate } from '../../iso-date.ts';

function parseLang(text: string): Lang {
  if (!(LANGS as readonly string[]).includes(text)) throw new Error(`--lang must be ja or en, not "${text}".`);
  return text as Lang;
}

function parseIssuedOn(text: string): string {
  if (!isIsoDate(text)) throw new Error(`--issued-on must be a date written YYYY-MM-DD, not "${text}".`);
  return text;
}

interface CommonOptions {
  db: string;
  period: string;
  lang?: string;
  out?: string;
  issuedOn: string;
  issuer?: string;
}

const describeReport = (r: WrittenReport) => `${resolve(r.file)}  (${Math.round(r.bytes / 1024)} KB, ${(r.ms / 1000).toFixed(2)} s)`;

export interface MunicipalRun {
  db: string;
  period: Period;
  lang: Lang;
  issuedOn: string;
  issuer?: string;
  /** One contract, or null for every contract. */
  contractId: string | null;
  /** The file (one contract) or the folder (--all). */
  out?: string;
}

export async function runMunicipalReports(run: MunicipalRun): Promise<WrittenReport[]> {
  const dir = run.contractId === null ? (run.out ?? defaultReportDir(run.db)) : defaultReportDir(run.db);
  const outFor = (_id: string, fileName: string) => (run.contractId !== null && run.out ? run.out : join(dir, fileName));
  let bar: ReturnType<typeof progress> | undefined;
  try {
    const { snapshot, reports } = await writeMunicipalReports(
      { db: run.db, period: run.period, lang: run.lang, issuedOn: run.issuedOn, issuer: run.issuer },
      run.contractId === null ? null : [run.contractId],
      outFor,
      (done, total, report) => {
        if (run.contractId !== null) return;
        bar ??= progress('Reports', total);
        bar.update(done, report.contractId ?? '');
      },
    );
    bar?.stop();
    info(`Wrote ${reports.length} municipal report${reports.length === 1 ? '' : 's'} for ${run.period.text} (as of ${snapshot.asOf}, snapshot ${snapshot.hash.slice(0, 12)}).`);
    return reports;
  } finally {
    bar?.stop();
  }
}

export async function runFunderReport(opts: { db: string; period: Period; lang: Lang; issuedOn: string; issuer?: string; out?: string }): Promise<WrittenReport> {
  const file = opts.out ?? join(defaultReportDir(opts.db), `funder_${opts.period.text}_${opts.lang}.pdf`);
  const { snapshot, report } = await writeFunderReport(opts, file);
  info(`Wrote the funder report for ${opts.period.text} (as of ${snapshot.asOf}, snapshot ${snapshot.hash.slice(0, 12)}).`);
  return report;
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('PDF reports: municipal outcome reports (SIB) and the funder report (CIB and programme)');
  const withCommon = (cmd: Command, defaultLang: Lang) =>
    cmd
      .requiredOption('--period <period>', 'a month (2026-09), a quarter (2026Q3) or a fiscal year (FY2026, April to March)')
      .option('--lang <lang>', `ja or en (default ${defaultLang})`)
      .option('--db <file>', 'warehouse file (opened read-only)', DEFAULT_DB)
      .option('--issued-on <date>', 'issue date printed on the cover and written into the PDF, YYYY-MM-DD', todayUtc())
      .option('--issuer <text>', 'issuing organisation printed on the cover');

  withCommon(
    report
      .command('municipality')
      .description('The outcome report of one SIB contract (--contract) or of every contract (--all) for a period, Japanese by default')
      .option('--contract <id>', 'SIB contract id')
      .option('--all', 'every contract in the warehouse, one PDF each')
      .option('--out <path>', 'the PDF file (one contract) or folder (--all); default: reports/ beside the warehouse'),
    'ja',
  ).action(async (opts: CommonOptions & { contract?: string; all?: boolean }) => {
    if (Boolean(opts.contract) === Boolean(opts.all)) throw new Error('Give either --contract ID or --all.');
    const reports = await runMunicipalReports({
      db: opts.db,
      period: parsePeriod(opts.period),
      lang: parseLang(opts.lang ?? 'ja'),
      issuedOn: parseIssuedOn(opts.issuedOn),
      issuer: opts.issuer,
      contractId: opts.all ? null : opts.contract!,
      out: opts.out,
    });
    for (const r of reports) console.log(describeReport(r));
  });

  withCommon(
    report.command('funder').description("The funder's report on the CIB fund, programme outcomes and SIB contracts for a period, English by default").option('--out <file>', 'the PDF file; default: reports/ beside the warehouse'),
    'en',
  ).action(async (opts: CommonOptions) => {
    const r = await runFunderReport({ db: opts.db, period: parsePeriod(opts.period), lang: parseLang(opts.lang ?? 'en'), issuedOn: parseIssuedOn(opts.issuedOn), issuer: opts.issuer, out: opts.out });
    console.log(describeReport(r));
  });

  report
    .command('snapshot')
    .description('The data snapshot hash reports made from this warehouse print in their footer')
    .option('--db <file>', 'warehouse file (opened read-only)', DEFAULT_DB)
    .action(async (opts: { db: string }) => {
      const s = await withConnection(opts.db, { readOnly: true }, readSnapshot);
      console.log(s.hash);
    });
}

/**
 * The demo's reports (npm start): each SIB contract's municipal report for the latest complete
 * quarter and fiscal year, and the funder report for the latest complete quarter, issued on the
 * as-of date so they are the same on every run. Returns the folder.
 */
export async function runDemoReports(db: string, asOf: string): Promise<string> {
  const dir = defaultReportDir(db);
  const quarter = latestCompletePeriod('quarter', asOf);
  const fiscalYear = latestCompletePeriod('fiscal_year', asOf);
  for (const period of [quarter, fiscalYear]) {
    await runMunicipalReports({ db, period, lang: 'ja', issuedOn: asOf, contractId: null, out: dir });
  }
  await runFunderReport({ db, period: quarter, lang: 'en', issuedOn: asOf });
  return `${resolve(dir)}   (municipal ${quarter.text} and ${fiscalYear.text}, funder ${quarter.text})`;
}
