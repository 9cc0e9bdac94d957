// The pseudonymisation key: created on first use outside the repository, never written into the
// warehouse. Where it lives, in order: IMPACT_KEY (the key itself, 64 hex digits, e.g. from a CI
// secret store), IMPACT_KEY_FILE, then $XDG_CONFIG_HOME/impact/key or ~/.config/impact/key.
import { randomBytes, createHmac } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

export interface PseudonymKey {
  key: Buffer;
  /** Where it came from, for messages (never the key itself). */
  origin: string;
  created: boolean;
}

const KEY_HEX = /^[0-9a-f]{64}$/i;

export function defaultKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.IMPACT_KEY_FILE) return resolve(env.IMPACT_KEY_FILE);
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(configHome, 'impact', 'key');
}

/** The nearest folder at or above `path` that is a git work tree, if any. */
function enclosingRepository(path: string): string | null {
  let dir = resolve(path);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * `path` with every symbolic link in it resolved, as far as it exists (a key file not yet made, in folders perhaps not
 * yet made): a link outside a repository to a file inside one would otherwise pass the repository check.
 */
function realPath(path: string): string {
  const missing: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      return join(realpathSync(dir), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(dir) === dir) throw error;
      missing.push(basename(dir));
    }
  }
}

/**
 * The key, from the first place that has one, or a new one at the key file's path. A new key is never made for
 * `keyedWarehouse`, a warehouse that records the fingerprint of the key it was built with: a run whose HOME or
 * IMPACT_KEY_FILE differs from the one that built it would otherwise make a key that the warehouse then refuses.
 */
export function loadOrCreateKey(env: NodeJS.ProcessEnv = process.env, keyedWarehouse?: string): PseudonymKey {
  if (env.IMPACT_KEY) {
    if (!KEY_HEX.test(env.IMPACT_KEY)) throw new Error('IMPACT_KEY must be 64 hexadecimal digits (32 random bytes).');
    return { key: Buffer.from(env.IMPACT_KEY, 'hex'), origin: 'the IMPACT_KEY environment variable', created: false };
  }
  const path = defaultKeyPath(env);
  // A link to nothing: the key it was meant to reach is missing (a moved or unmounted folder), and a new
  // key must not be made through the link, wherever it points.
  if (!existsSync(path) && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new Error(`The pseudonymisation key file ${path} is a link to ${readlinkSync(path)}, which does not exist (no key was made): restore the key there, or point IMPACT_KEY_FILE at it.`);
  }
  const real = realPath(path);
  const repo = enclosingRepository(dirname(path)) ?? enclosingRepository(dirname(real));
  if (repo) {
    const shown = real === path ? path : `${path} (a link to ${real})`;
    throw new Error(
      `The pseudonymisation key file ${shown} is inside the git repository ${repo}. Keep it outside any repository (set IMPACT_KEY_FILE) so it can never be committed.`,
    );
  }
  if (keyedWarehouse !== undefined && !existsSync(path)) {
    throw new Error(
      `The warehouse ${keyedWarehouse} was built with a pseudonymisation key that is not at ${path}, where this run looked for it (no new key was made): point IMPACT_KEY_FILE at that key file, or set IMPACT_KEY to it.`,
    );
  }
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    if (!KEY_HEX.test(text)) throw new Error(`The pseudonymisation key file ${path} does not hold 64 hexadecimal digits.`);
    if ((statSync(path).mode & 0o077) !== 0) process.emitWarning(`${path} is readable by other users; chmod 600 it.`);
    return { key: Buffer.from(text, 'hex'), origin: path, created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  return { key, origin: path, created: true };
}

/**
 * participant_id = first 128 bits of HMAC-SHA256(key, "participant:" + ref), written as a UUID
 * (32 hex digits in groups of 8-4-4-4-12). The label separates this use of the key from any other; 128 bits make a collision among
 * millions of participants negligible (about 1e-26 for a million).
 */
export function participantId(key: Buffer, ref: string): string {
  const hex = createHmac('sha256', key).update(`participant:${ref}`).digest('hex');
  // Written as the warehouse shows a UUID (8-4-4-4-12), the type it is stored in.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Identifies a key without revealing it, so a load with a different key can be refused. */
export function keyFingerprint(key: Buffer): string {
  return createHmac('sha256', key).update('impact key fingerprint').digest('hex').slice(0, 16);
}
