import type { Command } from 'commander';
import { generateDemo, type DemoManifest } from '../../demo/generate.ts';
import { info, progress } from '../output.ts';

export const DEMO_DIR = 'data/demo';

export interface DemoCommandOptions {
  participants: string;
  seed: string;
  out: string;
  dirty?: boolean;
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1, not "${value}".`);
  return n;
}

export async function runDemo(opts: DemoCommandOptions): Promise<DemoManifest> {
  const participants = positiveInteger(opts.participants, '--participants');
  const seed = positiveInteger(opts.seed, '--seed');
  let bar: ReturnType<typeof progress> | undefined;
  let current = '';
  const manifest = await generateDemo({
    participants,
    seed,
    outDir: opts.out,
    dirty: Boolean(opts.dirty),
    onProgress: (step, done, total) => {
      if (step !== current) {
        bar?.stop();
        bar = progress(`Generating ${step}`, total);
        current = step;
      }
      bar!.update(done, '');
    },
  });
  bar?.stop();
  const rows = manifest.files.reduce((n, f) => n + f.rows, 0);
  info(`Wrote ${manifest.files.length} files (${rows} rows, ${manifest.faults.length} planted faults) for ${participants} participants to ${opts.out}, as of ${manifest.asOf}.`);
  return manifest;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Write a synthetic, deterministic input set (one file per entity) for trying the pipeline')
    .option('--participants <n>', 'number of participants', '2000')
    .option('--seed <n>', 'random seed: the same seed gives the same files', '1')
    .option('--out <dir>', 'output folder', DEMO_DIR)
    .option('--dirty', 'also plant realistic faults (bad dates, unknown participants, duplicates, a Shift_JIS payroll file)')
    .action(async (opts: DemoCommandOptions) => {
      await runDemo(opts);
    });
}
