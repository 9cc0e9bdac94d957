// npm run bench [-- --large] [-- --sizes 10000,100000]: ingest and build speed against DuckDB's own
// CSV reader on the same files, measured in the same run. Prints a table and JSON; asserts nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { generateDemo } from '../../pipelines/demo/generate.ts';
import { withConnection } from '../../pipelines/db/connection.ts';
import { ingest } from '../../pipelines/ingest/ingest.ts';
import { planSources } from '../../pipelines/ingest/sources.ts';
import { build } from '../../pipelines/models/build.ts';
import { quotedIdentifier, quotedString } from '../../pipelines/sql.ts';
import { formatRows } from '../../pipelines/cli/output.ts';

const args = process.argv.slice(2);
const sizesArg = args.includes('--sizes') ? args[args.indexOf('--sizes') + 1]! : undefined;
const sizes = sizesArg ? sizesArg.split(',').map(Number) : [10_000, 100_000, ...(args.includes('--large') ? [1_000_000] : [])];
const key = { key: Buffer.alloc(32, 7), origin: 'benchmark key', created: false };

const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function measure(participants: number) {
  const dir = mkdtempSync(join(tmpdir(), `impact-bench-${participants}-`));
  try {
    let t0 = performance.now();
    const manifest = await generateDemo({ participants, seed: 1, outDir: join(dir, 'in'), dirty: false });
    const generateS = seconds(t0);
    const { sources } = planSources([join(dir, 'in')], {});

    // Baseline: DuckDB's own CSV reader into a table of a database file, per file, no validation.
    const perFileBaseline = new Map<string, number>();
    t0 = performance.now();
    await withConnection(join(dir, 'baseline.duckdb'), {}, async (conn) => {
      for (const s of sources) {
        const t1 = performance.now();
        await conn.run(`CREATE TABLE ${quotedIdentifier(basename(s.file, '.csv'))} AS SELECT * FROM read_csv(${quotedString(s.file)})`);
        perFileBaseline.set(basename(s.file), seconds(t1));
      }
      await conn.run('CHECKPOINT');
    });
    const baselineS = seconds(t0);

    // Files load side by side (one per core), so per-file times overlap and add up to more than the total.
    const perFile = new Map<string, number>();
    const fileStart = new Map<number, number>();
    t0 = performance.now();
    const { results } = await ingest(sources, {
      db: join(dir, 'warehouse.duckdb'),
      key,
      onFileStart: (_s, i) => fileStart.set(i, performance.now()),
      onFileDone: (r, i) => perFile.set(basename(r.file), seconds(fileStart.get(i)!)),
    });
    const ingestS = seconds(t0);

    t0 = performance.now();
    const built = await build({ db: join(dir, 'warehouse.duckdb'), asOf: manifest.asOf });
    const buildS = seconds(t0);

    const rows = results.reduce((n, r) => n + r.rowsRead, 0);
    return {
      participants,
      rows,
      generate_s: +generateS.toFixed(2),
      baseline_read_csv_s: +baselineS.toFixed(2),
      ingest_s: +ingestS.toFixed(2),
      ratio_ingest_to_read_csv: +(ingestS / baselineS).toFixed(2),
      build_s: +buildS.toFixed(2),
      ingest_plus_build_s: +(ingestS + buildS).toFixed(2),
      us_per_row: +((ingestS * 1e6) / rows).toFixed(2),
      entities: results.map((r) => ({
        file: basename(r.file),
        rows: r.rowsRead,
        rows_per_s: Math.round(r.rowsRead / perFile.get(basename(r.file))!),
        ratio_to_read_csv: +(perFile.get(basename(r.file))! / perFileBaseline.get(basename(r.file))!).toFixed(2),
      })),
      models: built.models.map((m) => ({ model: m.name, rows: m.rows, ms: m.ms, share: +(m.ms / (buildS * 1000)).toFixed(3) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const runs = [];
for (const n of sizes) {
  process.stderr.write(`measuring ${n} participants ...\n`);
  const run = await measure(n);
  runs.push(run);
  console.log(`\n${n} participants, ${run.rows} rows`);
  console.log(formatRows(run.entities, 'table'));
  console.log(`build ${run.build_s} s; models taking at least 1% of it, slowest first:`);
  console.log(formatRows([...run.models].sort((a, b) => b.ms - a.ms).filter((m) => m.share >= 0.01), 'table'));
}
console.log('\nSummary');
console.log(formatRows(runs.map(({ entities: _e, models: _m, ...rest }) => rest), 'table'));
console.log(JSON.stringify({ benchmark: 'ingest', runs }, null, 2));
