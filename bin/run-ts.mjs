#!/usr/bin/env node
// Runs one TypeScript script (benchmarks, generators) with tsx: `node bin/run-ts.mjs FILE [ARGS...]`.
// The Node version is checked first: the imports after it are dynamic so that nothing else loads before.
import { requireNodeVersion } from './node-version.mjs';
requireNodeVersion();
const { register } = await import('tsx/esm/api');
const { pathToFileURL } = await import('node:url');
const { resolve } = await import('node:path');
register();
const [file, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(resolve(file)).href);
