// Ctrl-C (SIGINT) or SIGTERM in the middle of a run: without a handler node exits at once and leaves the run's work
// copies and locks until the next run sweeps them (a work copy may hold names and rows never checked). The CLI
// installs the handler; what a run would leave it registers here for as long as it exists.
const undo = new Set<() => void>();

/** Runs `fn` (synchronously) if the process is interrupted before the returned function is called. */
export function onInterrupt(fn: () => void): () => void {
  undo.add(fn);
  return () => undo.delete(fn);
}

/** Exit codes as a shell reports a process ended by the signal: 128 + its number. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/** On SIGINT or SIGTERM: undoes what runs registered, the latest first (work copies before the locks guarding them), then exits. */
export function cleanUpOnSignals(): void {
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      for (const fn of [...undo].reverse()) {
        try {
          fn();
        } catch {
          // The rest must still run; the next run's sweep removes whatever could not be removed now.
        }
      }
      process.exit(code);
    });
  }
}
