import type { Command } from 'commander';
import { staleAsOfWarning } from '../../models/as-of.ts';
import { build, type BuildResult } from '../../models/build.ts';
import { DEFAULT_DB } from '../../warehouse/paths.ts';
import { info, progress } from '../output.ts';

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function runBuild(opts: { db: string; asOf: string }): Promise<BuildResult> {
  let bar: ReturnType<typeof progress> | undefined;
  try {
    const result = await build({
      db: opts.db,
      asOf: opts.asOf,
      onModel: (model, i, total) => {
        // Said once the warehouse is open, so a refusal stays the only line.
        if (!bar) info(`Building as of ${opts.asOf}${opts.asOf === todayUtc() ? ' (today; --as-of chooses another date)' : ''}.`);
        bar ??= progress('Building', total);
        bar.update(i, `${model.layer}.${model.name}`);
      },
    });
    bar?.stop();
    const ms = result.models.reduce((n, m) => n + m.ms, 0);
    info(`Built ${result.models.length} models as of ${result.asOf} in ${(ms / 1000).toFixed(1)} s (build ${result.buildId}, snapshot ${result.snapshot.slice(0, 12)}).`);
    const warning = staleAsOfWarning(result.asOf, result.incomeDataEnd);
    if (warning) info(warning);
    return result;
  } finally {
    bar?.stop();
  }
}

export function registerBuild(program: Command): void {
  program
    .command('build')
    .description('Run the SQL models (staging, core, marts) as of a reporting date')
    .option('--db <file>', 'warehouse file', DEFAULT_DB)
    .option('--as-of <date>', 'reporting date YYYY-MM-DD: nothing dated after it is used', todayUtc())
    .action(async (opts: { db: string; asOf: string }) => {
      await runBuild(opts);
    });
}
