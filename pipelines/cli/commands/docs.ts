import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { dataDictionary } from '../../docs/dictionary.ts';
import { buildDemoExtract, researchersGuide, RESEARCHERS_GUIDE_PATH } from '../../docs/researchers.ts';
import { info } from '../output.ts';

export const DICTIONARY_PATH = 'docs/data-dictionary.md';

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('Regenerate the data dictionary and the researchers\u2019 guide (which builds a demo extract to show its example results)')
    .option('--out <file>', 'where to write the data dictionary', DICTIONARY_PATH)
    .option('--researchers <file>', 'where to write the researchers\u2019 guide', RESEARCHERS_GUIDE_PATH)
    .action(async (opts: { out: string; researchers: string }) => {
      writeFileSync(opts.out, await dataDictionary());
      info(`Wrote ${opts.out}.`);
      const dir = mkdtempSync(join(tmpdir(), 'impact-docs-'));
      try {
        const extract = await buildDemoExtract(dir);
        writeFileSync(opts.researchers, await researchersGuide(extract.out));
        info(`Wrote ${opts.researchers}.`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
