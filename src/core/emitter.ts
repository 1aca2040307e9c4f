// A tiny event emitter for the core, which cannot use vscode.EventEmitter: listeners are called in
// the order they subscribed, and one that throws neither stops the others nor fails the caller of
// fire() (a broken listener must not turn a successful write into a failure).

export interface Disposable {
  dispose(): void;
}

export class Emitter<T> {
  /** A Set keeps subscription order and makes unsubscribing cheap. */
  private listeners: Set<(value: T) => void> | undefined = new Set();

  /** `onListenerError` hears what a listener threw; without it the error is dropped. */
  constructor(private readonly onListenerError?: (error: unknown) => void) {}

  /** Subscribes `listener`; after dispose() of the emitter, nothing is subscribed. */
  event(listener: (value: T) => void): Disposable {
    // Wrapped, so that the same function subscribed twice is called twice and unsubscribed once.
    const entry = (value: T) => listener(value);
    this.listeners?.add(entry);
    return { dispose: () => void this.listeners?.delete(entry) };
  }

  fire(value: T): void {
    if (!this.listeners) return;
    // A copy, so that one subscribed meanwhile waits for the next value; one disposed meanwhile
    // (say, by a listener that closes a view) is not called any more.
    for (const listener of [...this.listeners]) {
      if (!this.listeners?.has(listener)) continue;
      try {
        listener(value);
      } catch (error) {
        this.report(error);
      }
    }
  }

  dispose(): void {
    this.listeners = undefined;
  }

  private report(error: unknown): void {
    try {
      this.onListenerError?.(error);
    } catch {
      // The error reporter failing must not stop the other listeners either.
    }
  }
}
