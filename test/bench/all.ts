// npm run bench: every benchmark, one after the other (they share the command-line flags).
await import('./ingest.bench.ts');
await import('./projection.bench.ts');
await import('./dashboard.bench.ts');
await import('./reports.bench.ts');
