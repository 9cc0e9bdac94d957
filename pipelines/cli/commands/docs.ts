import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataDictionary } from '../../docs/dictionary.ts';
import { info } from '../output.ts';

export const DICTIONARY_PATH = 'docs/data-dictionary.md';

export function registerDocs(program: Command): void {
  program
    .command('docs')
    .description('Regenerate the data dictionary from the contract and the models')
    .option('--out <file>', 'where to write it', DICTIONARY_PATH)
    .action(async (opts: { out: string }) => {
      writeFileSync(opts.out, await dataDictionary());
      info(`Wrote ${opts.out}.`);
    });
}
