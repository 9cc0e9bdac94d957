// Which files of a run load, and their load ids. Decided in plan order from the files' sha256, whatever order the
// files then load in, so the same run always numbers its loads the same way.
import type { EntityName } from '../contract/entities.ts';

export type LoadNumber = { sha256: string; loadId: number } | { sha256: string; alreadyLoadedAs: number };

export class LoadNumbers {
  private readonly loaded = new Map<string, number>();
  private nextId: number;
  private last: Promise<unknown> = Promise.resolve();
  private readonly numbers: Array<Promise<LoadNumber>> = [];

  /**
   * `previous`: the loads the warehouse holds. A file whose bytes were loaded before as the same entity (earlier, or
   * earlier in this run) is skipped unless `reload`.
   */
  constructor(previous: ReadonlyArray<{ load_id: number; sha256: string; entity: string }>, private readonly reload: boolean) {
    for (const p of [...previous].sort((a, b) => a.load_id - b.load_id)) {
      const key = LoadNumbers.key(p.entity, p.sha256);
      if (!this.loaded.has(key)) this.loaded.set(key, Number(p.load_id));
    }
    this.nextId = Math.max(0, ...previous.map((p) => Number(p.load_id))) + 1;
  }

  private static key(entity: string, sha256: string): string {
    return `${entity}\u0000${sha256}`;
  }

  /** Numbers the next file of the plan, once its hash is known; call in plan order. */
  add(entity: EntityName, sha256: Promise<string>): void {
    sha256.catch(() => undefined); // awaited below, in turn
    const number = this.last.then(async () => {
      const sha = await sha256;
      const key = LoadNumbers.key(entity, sha);
      const before = this.loaded.get(key);
      if (before !== undefined && !this.reload) return { sha256: sha, alreadyLoadedAs: before };
      const loadId = this.nextId++;
      if (before === undefined) this.loaded.set(key, loadId);
      return { sha256: sha, loadId };
    });
    // A file that cannot be hashed fails when its turn comes; it takes no id, and the files after it are numbered
    // as if it were not there (a run that skips unreadable files loads them).
    this.last = number.catch(() => undefined);
    this.numbers.push(number);
  }

  get(index: number): Promise<LoadNumber> {
    return this.numbers[index]!;
  }
}
