// The command groups loaded on first use (dist/lazy/) carry their own copy of VbotError and LocalSaveError;
// `instanceof` must still recognise errors made by the main bundle's copy, and nothing else.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { LocalSaveError } from '../../src/core/atomicFile';
import { VbotError } from '../../src/core/vbotError';

test('instanceof VbotError / LocalSaveError holds for another copy of the class, by its brand', () => {
  const made = new VbotError({ kind: 'notFound', operation: 'deleteType', typeNo: 'A' });
  assert.ok(made instanceof VbotError && made instanceof Error);
  // What another bundled copy makes: same brand (Symbol.for is shared by every copy), another prototype.
  const copy = Object.assign(Object.create(Error.prototype), { [Symbol.for('vbotCrm.VbotError')]: true, kind: 'notFound' });
  assert.ok(copy instanceof VbotError);
  const saveCopy = Object.assign(Object.create(Error.prototype), { [Symbol.for('vbotCrm.LocalSaveError')]: true });
  assert.ok(saveCopy instanceof LocalSaveError);
  assert.ok(new LocalSaveError('EACCES', '/x', '/', 'm') instanceof LocalSaveError);
});

test('and for nothing else', () => {
  for (const value of [new Error('x'), { kind: 'notFound' }, null, undefined, 'VbotError', 1]) {
    assert.equal(value instanceof VbotError, false);
    assert.equal(value instanceof LocalSaveError, false);
  }
  assert.equal(new VbotError({ kind: 'timeout', operation: 'refresh' }) instanceof LocalSaveError, false);
});
