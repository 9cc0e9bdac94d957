// Building the funder dashboard: Observable Framework renders src/ into a static site, its data
// loaders reading the warehouse read-only; then the self-hosted fonts are copied beside the pages.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { acquireLock, LockBusyError } from '../warehouse/lock.ts';
import { assertWarehouse } from '../warehouse/paths.ts';
import { assertDashboardPublishable, publishedTables } from './publish.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const DEFAULT_DIST = 'dist';
const FRAMEWORK_CLI = join(REPO_ROOT, 'node_modules', '@observablehq', 'framework', 'dist', 'bin', 'observable.js');
const FRAMEWORK_CACHE = join(REPO_ROOT, 'src', '.observablehq', 'cache');
/** Where Framework keeps the output of the loaders in src/data/. */
const LOADER_CACHE = join(FRAMEWORK_CACHE, 'data');
/**
 * Versions Framework's standard library names for the libraries it can load on demand (CSV parsing,
 * Arrow, maps...). The pages use none of them, but Framework still asks the npm registry for their
 * latest versions unless a version is in its cache: these folders answer it, so the build needs no network.
 */
const STDLIB_NPM_PINS = [
  '@observablehq/plot@0.6.17', '@observablehq/sample-datasets@1.0.1', 'apache-arrow@21.2.0', 'arquero@8.0.3', 'd3-dsv@3.0.2',
  'd3@7.9.2', 'echarts@6.1.0', 'htl@1.0.0', 'leaflet@1.9.4', 'lodash@4.18.1', 'mapbox-gl@3.32.0', 'parquet-wasm@0.8.0',
  'react-dom@19.3.1', 'react@19.3.1', 'topojson-client@3.1.0',
];
const FONT_PACKAGE = join(REPO_ROOT, 'node_modules', '@fontsource', 'noto-sans-jp');
/** Regular and bold are all the pages use; each weight is split by Unicode range, so a page loads only the subsets it shows. */
const FONT_WEIGHTS = [400, 700];

export interface DashboardBuildOptions {
  db: string;
  out: string;
  /** Where Framework's output goes as it works (stderr by default). */
  log?: (line: string) => void;
}

export interface DashboardBuildResult {
  out: string;
  seconds: number;
}

export async function buildDashboard(opts: DashboardBuildOptions): Promise<DashboardBuildResult> {
  const db = resolve(opts.db);
  const out = resolve(opts.out);
  assertWarehouse(db);
  const t0 = performance.now();
  const log = opts.log ?? ((line: string) => process.stderr.write(line));
  const release = await waitForBuildLock(BUILD_LOCK, log);
  try {
    // Framework reuses a loader's cached output while the loader file is unchanged; the warehouse
    // behind it may have changed, so every build runs every loader.
    rmSync(LOADER_CACHE, { recursive: true, force: true });
    for (const pin of STDLIB_NPM_PINS) mkdirSync(join(FRAMEWORK_CACHE, '_npm', pin), { recursive: true });
    rmSync(out, { recursive: true, force: true });
    // The tables are suppressed together, once (a cell hidden in one may be printed in another); each
    // loader then writes its own from this private file.
    const scratch = mkdtempSync(join(tmpdir(), 'impact-dashboard-'));
    try {
      const tablesFile = join(scratch, 'tables.json');
      writeFileSync(tablesFile, JSON.stringify(await publishedTables(db)), { mode: 0o600 });
      await runFramework(['build'], { IMPACT_DB: db, IMPACT_DASHBOARD_OUT: out, IMPACT_DASHBOARD_TABLES: tablesFile }, log);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    // Each loader checked its own table; what the tables give away together is checked here, and an
    // unsafe site is not left behind.
    try {
      assertDashboardPublishable(out);
    } catch (error) {
      rmSync(out, { recursive: true, force: true });
      throw error;
    }
    copyFonts(join(out, '_fonts'));
  } finally {
    release();
  }
  return { out, seconds: (performance.now() - t0) / 1000 };
}

const BUILD_LOCK = join(REPO_ROOT, 'src', '.observablehq', 'build.lock');

/**
 * Framework keeps its loader cache in the checkout (src/.observablehq/cache), whatever the warehouse: a second build
 * started meanwhile (another warehouse, another dist) would read or clear the first one's loader output. Builds of
 * one checkout therefore take turns; a lock left by a killed build is taken over at once (lock.ts).
 */
export async function waitForBuildLock(lock: string, log: (line: string) => void, patienceMs = 10 * 60 * 1000): Promise<() => void> {
  mkdirSync(dirname(lock), { recursive: true });
  const giveUp = Date.now() + patienceMs;
  let told = false;
  for (;;) {
    try {
      return acquireLock(lock, 'Another dashboard build is running in this checkout');
    } catch (error) {
      if (!(error instanceof LockBusyError) || Date.now() > giveUp) throw error;
      if (!told) log(`${error.message}; waiting for it to finish.\n`);
      told = true;
      await new Promise((wake) => setTimeout(wake, 500));
    }
  }
}

function runFramework(args: string[], env: Record<string, string>, log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [FRAMEWORK_CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, OBSERVABLE_TELEMETRY_DISABLE: 'true', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      log(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`The dashboard build failed (observable ${args.join(' ')} exited with ${code}):\n${tail}`));
    });
  });
}

/** Noto Sans JP from @fontsource, as woff2 only, in <out>/noto-sans-jp.css and <out>/files/. */
function copyFonts(out: string): void {
  mkdirSync(join(out, 'files'), { recursive: true });
  const css = FONT_WEIGHTS.map((weight) =>
    readFileSync(join(FONT_PACKAGE, `${weight}.css`), 'utf8').replace(/, url\([^)]*\.woff\) format\('woff'\)/g, ''),
  ).join('\n');
  writeFileSync(join(out, 'noto-sans-jp.css'), css);
  const wanted = new RegExp(`-(${FONT_WEIGHTS.join('|')})-normal\\.woff2$`);
  for (const file of readdirSync(join(FONT_PACKAGE, 'files'))) {
    if (wanted.test(file)) copyFileSync(join(FONT_PACKAGE, 'files', file), join(out, 'files', file));
  }
}
