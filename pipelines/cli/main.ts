// The `impact` command line: one sub-command per step of the pipeline.
import { Command, CommanderError } from 'commander';
import { terminalSafe } from './output.ts';
import { registerBuild } from './commands/build.ts';
import { registerDashboard } from './commands/dashboard.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDocs } from './commands/docs.ts';
import { registerExport } from './commands/export.ts';
import { registerIngest } from './commands/ingest.ts';
import { registerQuery } from './commands/query.ts';
import { registerRejects } from './commands/rejects.ts';
import { registerReport } from './commands/report.ts';
import { registerStart } from './commands/start.ts';
import { registerStatus } from './commands/status.ts';
import { explainFileFault } from '../file-faults.ts';
import { cleanUpOnSignals } from '../interrupt.ts';

const program = new Command()
  .name('impact')
  .description('Impact-data pipeline for refugee and migrant digital talent: ingest, warehouse, metrics')
  .option('--verbose', 'on error, print the full detail')
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerDemo, registerIngest, registerBuild, registerStatus, registerQuery, registerRejects, registerExport, registerReport, registerDocs, registerDashboard, registerStart]) {
  register(program);
}

cleanUpOnSignals();
try {
  await program.parseAsync(process.argv);
} catch (thrown) {
  if (thrown instanceof CommanderError) process.exit(thrown.exitCode);
  // A full disk or a damaged warehouse: one sentence naming the file, DuckDB's text as the detail.
  const error = explainFileFault(thrown) ?? thrown;
  // Messages may quote values and file names from data: they never act on the terminal.
  const message = terminalSafe(error instanceof Error ? error.message : String(error));
  process.stderr.write(`error: ${message}\n`);
  const cause = error instanceof Error ? error.cause : undefined;
  if (program.opts().verbose) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n${cause instanceof Error ? cause.stack : ''}\n`);
  else if (cause instanceof Error && !message.includes(terminalSafe(cause.message))) process.stderr.write(`detail: ${terminalSafe(cause.message)}\n`);
  process.exit(1);
}
