#!/usr/bin/env node
// The `impact` CLI. Runs the TypeScript sources through tsx so there is no separate build step.
// The Node version is checked first: the imports after it are dynamic so that nothing else loads before.
import { requireNodeVersion } from './node-version.mjs';
requireNodeVersion();
const { register } = await import('tsx/esm/api');
register();
await import('../pipelines/cli/main.ts');
