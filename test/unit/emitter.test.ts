// The core's event emitter (src/core/emitter.ts): listeners in subscription order, a throwing listener
// reported to onListenerError (never the console) without stopping the others.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Emitter } from '../../src/core/emitter';

describe('Emitter', () => {
  test('calls listeners in the order they subscribed, until they unsubscribe', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = emitter.event((n) => seen.push(`first ${n}`));
    emitter.event((n) => seen.push(`second ${n}`));
    emitter.fire(1);
    first.dispose();
    first.dispose(); // twice is harmless
    emitter.fire(2);
    assert.deepEqual(seen, ['first 1', 'second 1', 'second 2']);
  });

  test('the same function subscribed twice is called twice, and each subscription ends on its own', () => {
    const emitter = new Emitter<void>();
    let calls = 0;
    const listener = () => calls++;
    const one = emitter.event(listener);
    emitter.event(listener);
    emitter.fire();
    one.dispose();
    emitter.fire();
    assert.equal(calls, 3);
  });

  test('a listener that throws is reported and the others still run', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<string>((error) => errors.push(error));
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('broken');
    });
    emitter.event((value) => seen.push(value));
    const originalError = console.error;
    console.error = () => assert.fail('the emitter must not write to the console');
    try {
      emitter.fire('x');
    } finally {
      console.error = originalError;
    }
    assert.deepEqual(seen, ['x']);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['broken'],
    );
  });

  test('without onListenerError, or with one that throws itself, fire() still returns and the others run', () => {
    for (const emitter of [
      new Emitter<number>(),
      new Emitter<number>(() => {
        throw new Error('reporter broken');
      }),
    ]) {
      let reached = false;
      emitter.event(() => {
        throw new Error('broken');
      });
      emitter.event(() => (reached = true));
      assert.doesNotThrow(() => emitter.fire(1));
      assert.equal(reached, true);
    }
  });

  test('a listener may subscribe or unsubscribe others while it runs: a new one hears the next value, a removed one nothing more', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    let late: { dispose(): void } | undefined;
    const second = { dispose: () => undefined } as { dispose(): void };
    emitter.event((n) => {
      seen.push(`first ${n}`);
      late ??= emitter.event((m) => seen.push(`late ${m}`));
      second.dispose();
    });
    Object.assign(
      second,
      emitter.event((n) => seen.push(`second ${n}`)),
    );
    emitter.fire(1);
    emitter.fire(2);
    assert.deepEqual(seen, ['first 1', 'first 2', 'late 2']);
  });

  test('after dispose() nothing is called and nothing can subscribe', () => {
    const emitter = new Emitter<number>();
    let calls = 0;
    emitter.event(() => calls++);
    emitter.dispose();
    emitter.fire(1);
    const subscription = emitter.event(() => calls++);
    emitter.fire(2);
    subscription.dispose();
    assert.equal(calls, 0);
  });
});
