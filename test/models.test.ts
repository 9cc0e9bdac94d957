// The SQL models as files: documented, layered, and the data dictionary in step with them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDictionary } from '../pipelines/docs/dictionary.ts';
import { discoverModels } from '../pipelines/models/build.ts';
import { ROOT } from './helpers.ts';

// What each layer may read: the layer itself, the one below, reference and meta tables.
const MAY_READ: Record<string, string[]> = {
  staging: ['raw'],
  core: ['staging', 'core', 'ref'],
  marts: ['core', 'marts', 'meta', 'ref'],
};

describe('models', async () => {
  const models = await discoverModels();

  it('are found in every layer and document each column', () => {
    expect(new Set(models.map((m) => m.layer))).toEqual(new Set(['staging', 'core', 'marts']));
    for (const m of models) {
      expect(m.description.length, m.name).toBeGreaterThan(20);
      expect(Object.keys(m.columns).length, m.name).toBeGreaterThan(0);
    }
  });

  it('read only from the layer below them (and reference and meta tables)', () => {
    for (const m of models) {
      const read = [...m.reads.matchAll(/\b(raw|staging|core|marts|meta|ref)\.\w+/g)].map((x) => x[1]!);
      for (const schema of read) expect(MAY_READ[m.layer], `${m.layer}.${m.name} reads ${schema}`).toContain(schema);
    }
  });

  it('come after the models of their own layer that they read', () => {
    const order = models.map((m) => `${m.layer}.${m.name}`);
    for (const m of models) {
      for (const [dep] of m.reads.matchAll(new RegExp(`\\b${m.layer}\\.\\w+`, 'g'))) {
        expect(order.indexOf(dep), `${m.name} reads ${dep}`).toBeLessThan(order.indexOf(`${m.layer}.${m.name}`));
      }
    }
  });
});

describe('data dictionary', () => {
  it('docs/data-dictionary.md is what `npm run docs` generates', async () => {
    const committed = readFileSync(join(ROOT, 'docs', 'data-dictionary.md'), 'utf8');
    expect(committed, 'run `npm run docs` and commit the result').toBe(await dataDictionary());
  });
});
