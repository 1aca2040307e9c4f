// Group commit: items that become ready while a write is in flight wait for it, then go together into
// the next write. Many changes answered at once (an Apply) then cost one journal append and one cache
// write per group instead of one each, and writes never overlap. With `minIntervalMs`, a write starts no
// sooner than that after the previous one started: each write of a large list costs the extension host's
// thread tens of milliseconds, so a long Apply writes a few times a second, not as often as the disk allows.
// The first write never waits, so a single change is saved at once.
//
// Pure core: no `vscode` import.

interface Batch {
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function batch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Each caller handles its own copy; this keeps a group nobody awaits from being an unhandled rejection.
  done.catch(() => undefined);
  return { done, resolve, reject };
}

export class GroupCommit<T> {
  private pending: T[] = [];
  /** The batch the pending items go into. */
  private next: Batch | undefined;
  /** The batch being written. */
  private current: Batch | undefined;
  private writing = false;
  /** When the last write started (Date.now()). */
  private lastStart: number | undefined;

  /** `write` gets every item of one group; when it rejects, every item of that group fails with its error. */
  constructor(
    private readonly write: (group: ReadonlyArray<T>) => Promise<void>,
    private readonly minIntervalMs = 0,
  ) {}

  /** Resolves once the group holding `item` was written; rejects with that group's error. */
  add(item: T): Promise<void> {
    this.pending.push(item);
    this.next ??= batch();
    const done = this.next.done;
    if (!this.writing) {
      this.writing = true;
      void this.loop();
    }
    return done;
  }

  /** Settles once everything added so far was written (or failed to be). */
  flushed(): Promise<void> {
    const last = this.next ?? this.current;
    return last
      ? last.done.then(
          () => undefined,
          () => undefined,
        )
      : Promise.resolve();
  }

  private async loop(): Promise<void> {
    // Let the items made ready in the same turn join the first group.
    await Promise.resolve();
    while (this.pending.length > 0) {
      const wait = this.lastStart === undefined ? 0 : this.lastStart + this.minIntervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastStart = Date.now();
      const group = this.pending;
      const current = this.next!;
      this.pending = [];
      this.next = undefined;
      this.current = current;
      try {
        await this.write(group);
        current.resolve();
      } catch (error) {
        current.reject(error);
      }
    }
    this.current = undefined;
    this.writing = false;
  }
}
