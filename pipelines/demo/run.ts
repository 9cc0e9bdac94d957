// Generates the demo from the command line and reports how long it took, without the main CLI:
//   node bin/run-ts.mjs pipelines/demo/run.ts --participants 100000 --seed 42 --out out/demo [--dirty]
// Progress goes to stderr, the manifest's file list and the timing to stdout.
import { parseArgs } from 'node:util';
import { generateDemo } from './generate.ts';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string', default: 'out/demo' },
    dirty: { type: 'boolean', default: false },
  },
});

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
let lastPercent = -1;
const manifest = await generateDemo({
  participants: Number(values.participants),
  seed: Number(values.seed),
  outDir: values.out,
  dirty: values.dirty,
  onProgress: (step, done, total) => {
    const percent = total === 0 ? 100 : Math.floor((100 * done) / total);
    if (step !== 'participants' || Math.floor(percent / 10) > Math.floor(lastPercent / 10)) {
      if (step === 'participants') lastPercent = percent;
      process.stderr.write(`${step} ${done}/${total} (${seconds()} s)\n`);
    }
  },
});
for (const f of manifest.files) process.stdout.write(`${f.file.padEnd(28)} ${String(f.rows).padStart(10)} ${f.encoding}\n`);
process.stdout.write(`${manifest.faults.length} faults; ${manifest.participants} participants in ${seconds()} s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
