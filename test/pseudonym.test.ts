import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultKeyPath, keyFingerprint, loadOrCreateKey, participantId } from '../pipelines/privacy/key.ts';
import { runCli, tempDir } from './helpers.ts';

const dir = tempDir();
afterAll(() => dir.cleanup());

describe('pseudonymisation key', () => {
  it('is created on first use with owner-only permissions, then reused', () => {
    const path = join(dir.path, 'cfg', 'impact', 'key');
    const env = { IMPACT_KEY_FILE: path };
    const first = loadOrCreateKey(env);
    expect(first.created).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateKey(env);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
    expect(readFileSync(path, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('defaults to the user config folder, outside any repository', () => {
    expect(defaultKeyPath({ XDG_CONFIG_HOME: '/home/x/.config' })).toBe('/home/x/.config/impact/key');
  });

  it('refuses a key file inside a git repository', () => {
    const repo = join(dir.path, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    expect(() => loadOrCreateKey({ IMPACT_KEY_FILE: join(repo, 'secrets', 'key') })).toThrow(/inside the git repository/);
    expect(existsSync(join(repo, 'secrets', 'key'))).toBe(false);
  });

  describe('inside a real git repository, reached through a link', () => {
    const repo = join(dir.path, 'real-repo');
    mkdirSync(repo);
    execFileSync('git', ['init', '--quiet', repo]);
    mkdirSync(join(repo, 'secrets'));
    const outside = join(dir.path, 'outside');
    mkdirSync(outside);

    it('is refused when the key file is a link to a file in the repository', () => {
      writeFileSync(join(repo, 'secrets', 'key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      symlinkSync(join(repo, 'secrets', 'key'), join(outside, 'key-link'));
      expect(() => loadOrCreateKey({ IMPACT_KEY_FILE: join(outside, 'key-link') })).toThrow(
        `The pseudonymisation key file ${join(outside, 'key-link')} (a link to ${join(repo, 'secrets', 'key')}) is inside the git repository ${repo}.`,
      );
    });

    it('is refused, and nothing is made, when the folder of a key not yet made is a link into the repository', () => {
      symlinkSync(join(repo, 'secrets'), join(outside, 'secrets-link'));
      expect(() => loadOrCreateKey({ IMPACT_KEY_FILE: join(outside, 'secrets-link', 'impact', 'new-key') })).toThrow(/is inside the git repository/);
      expect(readdirSync(join(repo, 'secrets'))).toEqual(['key']);
    });
  });

  it('is not made through a link to nothing (the folder it named moved): one sentence, and nothing is made', () => {
    const link = join(dir.path, 'dangling-key');
    const target = join(dir.path, 'unmounted', 'key');
    symlinkSync(target, link);
    expect(() => loadOrCreateKey({ IMPACT_KEY_FILE: link })).toThrow(
      new Error(`The pseudonymisation key file ${link} is a link to ${target}, which does not exist (no key was made): restore the key there, or point IMPACT_KEY_FILE at it.`),
    );
    expect(existsSync(join(dir.path, 'unmounted'))).toBe(false);
  });

  it('is never made for a warehouse built with another key: a run under another HOME says where it looked, and makes nothing', async () => {
    const homes = [join(dir.path, 'home-a'), join(dir.path, 'home-b')];
    for (const home of homes) mkdirSync(home);
    const data = join(dir.path, 'cohorts.csv');
    writeFileSync(data, 'cohort_id,track,provider,start_date,end_date\n2024Q1-WEB-01,web_development,sakura_code_academy,2024-01-09,2024-06-28\n');
    const db = join(dir.path, 'homes.duckdb');
    // A CLI run as a user would start it: the key comes from HOME alone.
    const asUser = (home: string, ...args: string[]) => runCli(args, { HOME: home, IMPACT_KEY_FILE: '', IMPACT_KEY: '', XDG_CONFIG_HOME: '' });
    const first = await asUser(homes[0]!, 'ingest', data, '--db', db);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(join(homes[0]!, '.config', 'impact', 'key'))).toBe(true);
    const before = createHash('sha256').update(readFileSync(db)).digest('hex');

    const second = await asUser(homes[1]!, 'ingest', data, '--db', db);
    expect(second.code).toBe(1);
    const expected = join(homes[1]!, '.config', 'impact', 'key');
    expect(second.stderr.trim().split('\n')).toEqual([
      `error: The warehouse ${db} was built with a pseudonymisation key that is not at ${expected}, where this run looked for it (no new key was made): point IMPACT_KEY_FILE at that key file, or set IMPACT_KEY to it.`,
    ]);
    expect(readdirSync(homes[1]!)).toEqual([]);
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before);
  });

  it('accepts the key from IMPACT_KEY and rejects a malformed one', () => {
    expect(loadOrCreateKey({ IMPACT_KEY: 'ab'.repeat(32) }).key.length).toBe(32);
    expect(() => loadOrCreateKey({ IMPACT_KEY: 'not-a-key' })).toThrow(/64 hexadecimal digits/);
  });
});

describe('participant_id', () => {
  const key = Buffer.from('00'.repeat(31) + '01', 'hex');
  const other = Buffer.from('00'.repeat(31) + '02', 'hex');

  it('is HMAC-SHA256 of a labelled ref, first 128 bits', () => {
    const expected = createHmac('sha256', key).update('participant:WJ-000001').digest('hex').slice(0, 32);
    expect(participantId(key, 'WJ-000001').replaceAll('-', '')).toBe(expected);
    expect(participantId(key, 'WJ-000001')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('is stable under one key, different under another, and never contains the ref', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (ref) => {
        const id = participantId(key, ref);
        expect(participantId(key, ref)).toBe(id);
        expect(participantId(other, ref)).not.toBe(id);
        if (ref.length >= 4) expect(id.includes(ref)).toBe(false);
      }),
    );
  });

  it('has a fingerprint that differs between keys and is not the key', () => {
    expect(keyFingerprint(key)).not.toBe(keyFingerprint(other));
    expect(key.toString('hex').includes(keyFingerprint(key))).toBe(false);
  });
});
