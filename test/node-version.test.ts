// The Node version check that bin/impact.mjs and bin/run-ts.mjs run before anything else loads.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { checkNodeVersion, MINIMUM_NODE } from '../bin/node-version.mjs';
import { ROOT } from './helpers.ts';

const tooOld = /^impact needs Node 20\.11\.0 or later, and this is Node .+: install a newer Node \(https:\/\/nodejs\.org\)\.$/;

describe('checkNodeVersion', () => {
  it('takes the minimum from package.json, which the README states', () => {
    expect(MINIMUM_NODE).toBe('20.11.0');
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`Requirements: Node ${MINIMUM_NODE} or later.`);
  });

  it.each(['20.11.0', '20.11.1', '20.20.2', '21.0.0', '22.1.0', '24.0.0', 'v26.1.0'])('accepts Node %s', (version) => {
    expect(checkNodeVersion(version)).toBeNull();
  });

  it.each(['20.10.0', '20.0.0', '18.20.4', '16.0.0', '19.99.0', 'v20.9.0'])('refuses Node %s in one sentence', (version) => {
    expect(checkNodeVersion(version)).toMatch(tooOld);
  });

  it.each([['bin/impact.mjs', '--help'], ['bin/run-ts.mjs', 'no-such-script.ts']])('%s says so before loading anything else', async (bin, arg) => {
    // process.versions.node is replaced before the entry point runs, as an older Node would report it.
    const older = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.10.0"})';
    const run = promisify(execFile)(process.execPath, ['--import', older, join(ROOT, bin), arg], { cwd: ROOT });
    const error = (await run.catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stdout).toBe('');
    expect(error.stderr).toBe(`error: ${checkNodeVersion('20.10.0')}\n`);
  });
});
