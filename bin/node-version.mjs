// The Node version check both entry points run before anything else loads: an older Node would fail
// later with a message about some API (import.meta.dirname is undefined before 20.11) instead of
// saying what is wrong. The minimum is package.json's `engines.node`, so it is stated in one place.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
/** The oldest Node the code runs on, e.g. "20.11.0" (package.json says ">=20.11.0"). */
export const MINIMUM_NODE = String(engines.node).replace(/^>=\s*/, '');

const parts = (version) => String(version).replace(/^v/, '').split('.').map((n) => Number.parseInt(n, 10) || 0);

/** Null when `version` (as in process.versions.node) is recent enough, else the sentence to print. */
export function checkNodeVersion(version, minimum = MINIMUM_NODE) {
  const have = parts(version);
  const need = parts(minimum);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) > (need[i] ?? 0)) return null;
    if ((have[i] ?? 0) < (need[i] ?? 0)) return `impact needs Node ${minimum} or later, and this is Node ${version}: install a newer Node (https://nodejs.org).`;
  }
  return null;
}

/** Exits with the sentence when this Node is too old. */
export function requireNodeVersion() {
  const problem = checkNodeVersion(process.versions.node);
  if (problem) {
    process.stderr.write(`error: ${problem}\n`);
    process.exit(1);
  }
}
