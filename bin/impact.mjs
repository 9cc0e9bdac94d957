#!/usr/bin/env node
// The `impact` CLI. Runs the TypeScript sources through tsx so there is no separate build step.
import { register } from 'tsx/esm/api';
register();
await import('../pipelines/cli/main.ts');
