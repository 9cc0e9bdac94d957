import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultKeyPath, keyFingerprint, loadOrCreateKey, participantId } from '../pipelines/privacy/key.ts';
import { tempDir } from './helpers.ts';

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
