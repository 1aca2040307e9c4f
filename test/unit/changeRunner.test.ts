// The one runner of a change: the API call, settling a lost answer through the journal, the journal,
// the cache, and the result, against in-memory fakes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LocalSaveError } from '../../src/core/atomicFile';
import { ChangeRunner, type ChangeResult } from '../../src/core/change/changeRunner';
import {
  type TypeChange,
  cacheEditOf,
  changeCodeChange,
  createChange,
  deleteChange,
  proofOfDone,
  renameChange,
} from '../../src/core/change/typeChange';
import { VbotError } from '../../src/core/vbotError';
import { FakeApi, FakeCache, FakeJournal, FakeLog, LOST, OK, refusal } from './fixtures/changeFakes';

const where = { vbotId: 'VB1', projectCode: 'P1' };
const CHANGES: Record<TypeChange['op'], TypeChange> = {
  create: createChange(where, { typeNo: 'VIP', typeName: 'Khách VIP' }),
  rename: renameChange(where, 'VIP', 'Khách VIP', 'Khách hàng VIP'),
  changeCode: changeCodeChange(where, 'VIP', 'GOLD', 'Khách VIP'),
  delete: deleteChange(where, 'VIP', 'Khách VIP'),
};
const WITH_PROOF = (['create', 'changeCode', 'delete'] as const).map((op) => CHANGES[op]);

function setup(options: { profile?: string; journal?: FakeJournal; cache?: FakeCache } = {}) {
  const api = new FakeApi();
  const journal = options.journal ?? new FakeJournal();
  const cache = options.cache ?? new FakeCache();
  const log = new FakeLog();
  const runner = new ChangeRunner({ profile: options.profile ?? 'work', api, journal, cache, log });
  return { api, journal, cache, log, runner };
}

/** The answer that proves an earlier attempt of `change` was made (409 or 404). */
function proof(change: TypeChange) {
  return refusal(proofOfDone(change)!);
}

function errorOf(result: ChangeResult): VbotError | LocalSaveError {
  assert.equal(result.status, 'failed');
  return (result as { error: VbotError | LocalSaveError }).error;
}

for (const change of Object.values(CHANGES)) {
  describe(`run ${change.op}`, () => {
    it('ok: done, journaled done, the cache edited', async () => {
      const { api, journal, cache, runner } = setup();
      const result = await runner.run(change);
      assert.deepEqual(result, { status: 'done', change });
      assert.equal(api.requests.length, 1);
      assert.equal(
        api.requests[0].operation,
        { create: 'createType', rename: 'updateTypeName', changeCode: 'changeTypeCode', delete: 'deleteType' }[change.op],
      );
      assert.deepEqual(journal.outcomes(), [`${change.op}:done`]);
      assert.equal(journal.records[0].profile, 'work');
      assert.equal(journal.records[0].message, undefined);
      assert.deepEqual(cache.saved, [cacheEditOf(change)]);
      assert.equal(journal.entriesCalls, 0, 'the journal is not read on the happy path');
    });

    it("refused: failed with the server's error, journaled failed with its message, the cache untouched", async () => {
      const { api, journal, cache, runner } = setup();
      api.then(refusal('forbidden', { serverMessage: 'no rights' }));
      const result = await runner.run(change);
      assert.equal((errorOf(result) as VbotError).kind, 'forbidden');
      assert.deepEqual(journal.outcomes(), [`${change.op}:failed`]);
      assert.equal(journal.records[0].message, 'no rights');
      assert.deepEqual(cache.writes, []);
      assert.equal(journal.entriesCalls, 0);
    });

    it('refused without a server message: the journal says the kind', async () => {
      const { api, journal, runner } = setup();
      api.then(refusal('invalidParams'));
      await runner.run(change);
      assert.equal(journal.records[0].message, 'invalidParams');
    });

    it('answer lost: failed, journaled unknown, the cache untouched', async () => {
      const { api, journal, cache, runner } = setup();
      api.then(LOST);
      const result = await runner.run(change);
      assert.ok((errorOf(result) as VbotError).outcomeUnknown);
      assert.deepEqual(journal.outcomes(), [`${change.op}:unknown`]);
      assert.equal(journal.records[0].message, 'network');
      assert.deepEqual(cache.writes, []);
    });

    it('answer lost, then ok: done, and the cache edited', async () => {
      const { api, journal, cache, runner } = setup();
      api.then(LOST, OK);
      await runner.run(change);
      assert.deepEqual(await runner.run(change), { status: 'done', change });
      assert.deepEqual(journal.outcomes(), [`${change.op}:unknown`, `${change.op}:done`]);
      assert.deepEqual(cache.saved, [cacheEditOf(change)]);
    });

    it('cancelled before the answer: failed; journaled unknown only when the request may have gone out', async () => {
      const { api, journal, cache, runner } = setup();
      api.then(refusal('cancelled'), refusal('cancelled', { outcomeUnknown: true }));
      assert.equal((errorOf(await runner.run(change)) as VbotError).kind, 'cancelled');
      assert.equal((errorOf(await runner.run(change)) as VbotError).kind, 'cancelled');
      assert.deepEqual(journal.outcomes(), [`${change.op}:failed`, `${change.op}:unknown`]);
      assert.deepEqual(cache.writes, []);
    });

    it('passes the signal to the API', async () => {
      const { api, runner } = setup();
      const controller = new AbortController();
      controller.abort();
      const result = await runner.run(change, { signal: controller.signal });
      assert.equal((errorOf(result) as VbotError).kind, 'cancelled');
      assert.equal(api.requests.length, 1);
    });

    it('records what it undoes', async () => {
      const { journal, runner } = setup();
      await runner.run(change, { undoOf: 'e42' });
      assert.equal(journal.records[0].undoOf, 'e42');
    });
  });
}

describe('settling a lost answer', () => {
  for (const change of WITH_PROOF) {
    it(`${change.op}: lost, then ${proofOfDone(change)}: recovered, journaled done, the cache edited`, async () => {
      const { api, journal, cache, runner, log } = setup();
      api.then(LOST, proof(change));
      await runner.run(change);
      assert.deepEqual(await runner.run(change), { status: 'recovered', change });
      assert.deepEqual(journal.outcomes(), [`${change.op}:unknown`, `${change.op}:done`]);
      assert.deepEqual(cache.saved, [cacheEditOf(change)]);
      assert.ok(log.lines.some((l) => l.startsWith('info: ') && l.includes('earlier attempt')));
    });

    it(`${change.op}: ${proofOfDone(change)} with nothing in the journal is a failure`, async () => {
      const { api, journal, cache, runner } = setup();
      api.then(proof(change));
      const result = await runner.run(change);
      assert.equal((errorOf(result) as VbotError).kind, proofOfDone(change));
      assert.deepEqual(journal.outcomes(), [`${change.op}:failed`]);
      assert.deepEqual(cache.writes, []);
      assert.equal(journal.entriesCalls, 1);
    });

    it(`${change.op}: a runner made anew over the same journal (a window reload) still recovers`, async () => {
      const first = setup();
      first.api.then(LOST);
      await first.runner.run(change);
      const second = setup({ journal: first.journal });
      second.api.then(proof(change));
      assert.deepEqual(await second.runner.run(change), { status: 'recovered', change });
      assert.deepEqual(second.cache.saved, [cacheEditOf(change)]);
    });

    it(`${change.op}: an earlier done whose cache write failed is recovered too`, async () => {
      const { api, journal, cache, runner } = setup();
      cache.onWrite = () => {
        throw Object.assign(new Error('read-only'), { code: 'EROFS' });
      };
      await runner.run(change);
      cache.onWrite = () => undefined;
      api.then(proof(change));
      assert.deepEqual(await runner.run(change), { status: 'recovered', change });
      assert.deepEqual(journal.outcomes(), [`${change.op}:done`, `${change.op}:done`]);
      assert.deepEqual(cache.saved, [cacheEditOf(change)]);
    });
  }

  it('failed attempts in between do not hide the lost one', async () => {
    const change = CHANGES.delete;
    const { api, journal, runner } = setup();
    api.then(LOST, refusal('serverError'), refusal('forbidden'), proof(change));
    for (let i = 0; i < 3; i++) await runner.run(change);
    assert.equal((await runner.run(change)).status, 'recovered');
    assert.deepEqual(journal.outcomes(), ['delete:unknown', 'delete:failed', 'delete:failed', 'delete:done']);
  });

  it('a later change on the same code is the last word: no recovery', async () => {
    const { api, runner } = setup();
    api.then(LOST, OK, proof(CHANGES.create));
    await runner.run(CHANGES.create);
    await runner.run(CHANGES.rename);
    assert.equal((await runner.run(CHANGES.create)).status, 'failed');
  });

  it('a change of code is found by its new code too: a later lost change X → Y hides an earlier one on Y', async () => {
    const { api, runner } = setup();
    const deleteGold = deleteChange(where, 'GOLD', '');
    api.then(LOST, LOST, proof(deleteGold));
    await runner.run(deleteGold);
    await runner.run(CHANGES.changeCode); // VIP → GOLD, answer lost
    assert.equal((await runner.run(deleteGold)).status, 'failed');
  });

  it('another change of code from the same code is not the same change', async () => {
    const { api, runner } = setup();
    api.then(LOST, proof(CHANGES.changeCode));
    await runner.run(CHANGES.changeCode);
    assert.equal((await runner.run(changeCodeChange(where, 'VIP', 'SILVER', ''))).status, 'failed');
  });

  it('a create with another name is not recovered: the server has the other name', async () => {
    const { api, runner } = setup();
    api.then(LOST, proof(CHANGES.create));
    await runner.run(CHANGES.create);
    assert.equal((await runner.run(createChange(where, { typeNo: 'VIP', typeName: 'Other' }))).status, 'failed');
  });

  it("a lost answer under another profile or project is not this one's", async () => {
    const journal = new FakeJournal();
    const other = setup({ profile: 'home', journal });
    other.api.then(LOST);
    await other.runner.run(CHANGES.delete);
    const elsewhere = deleteChange({ ...where, projectCode: 'P2' }, 'VIP', '');
    other.api.then(LOST);
    await other.runner.run(elsewhere);
    const mine = setup({ profile: 'work', journal });
    mine.api.then(proof(CHANGES.delete));
    assert.equal((await mine.runner.run(CHANGES.delete)).status, 'failed');
  });

  it('a rename has no proof: 404 after a lost rename is a failure, and the journal is not read', async () => {
    const { api, journal, runner } = setup();
    api.then(LOST, refusal('notFound'));
    await runner.run(CHANGES.rename);
    assert.equal((await runner.run(CHANGES.rename)).status, 'failed');
    assert.equal(journal.entriesCalls, 0);
  });

  it('only the proof kind reads the journal: another refusal after a lost answer stays a failure', async () => {
    const { api, journal, runner } = setup();
    api.then(LOST, refusal('notFound'));
    await runner.run(CHANGES.create);
    assert.equal((await runner.run(CHANGES.create)).status, 'failed');
    assert.equal(journal.entriesCalls, 0);
  });

  it('a journal that cannot be read leaves the refusal as it is, with a warning', async () => {
    const { api, journal, runner, log } = setup();
    api.then(LOST, proof(CHANGES.delete));
    await runner.run(CHANGES.delete);
    journal.failEntries = new Error('EACCES');
    assert.equal((errorOf(await runner.run(CHANGES.delete)) as VbotError).kind, 'notFound');
    assert.equal(log.warnings().length, 1);
  });
});

describe('durability', () => {
  it('a journal that cannot be written does not fail the change; the cache is still written', async () => {
    const { journal, cache, runner, log } = setup();
    journal.failAppend = new Error('disk full');
    assert.equal((await runner.run(CHANGES.create)).status, 'done');
    assert.deepEqual(cache.saved, [cacheEditOf(CHANGES.create)]);
    assert.match(log.warnings()[0], /journal.*disk full/);
  });

  it('a cache that cannot be written fails the change with its LocalSaveError, after journaling it done', async () => {
    const { journal, cache, runner } = setup();
    const saveError = new LocalSaveError('ENOSPC', '/x/cache.json', '/x', 'cache.json could not be saved');
    cache.onWrite = () => {
      throw saveError;
    };
    const result = await runner.run(CHANGES.rename);
    assert.equal(errorOf(result), saveError);
    assert.deepEqual(journal.outcomes(), ['rename:done']);
  });

  it('any other cache failure becomes a LocalSaveError with a plain message and the cause', async () => {
    const { cache, runner } = setup();
    const cause = Object.assign(new Error('permission denied'), { code: 'EACCES', path: '/data/vbot/cache.json' });
    cache.onWrite = () => {
      throw cause;
    };
    const error = errorOf(await runner.run(CHANGES.create));
    assert.ok(error instanceof LocalSaveError);
    assert.equal(error.code, 'EACCES');
    assert.equal(error.reason, 'notWritable');
    assert.equal(error.folder, '/data/vbot');
    assert.equal(error.cause, cause);
    assert.match(error.message, /local list could not be saved: permission denied/);

    // Without a path there is no folder to name: explained by its message alone.
    for (const thrown of [Object.assign(new Error('EACCES somewhere'), { code: 'EACCES' }), 'not an error']) {
      cache.onWrite = () => {
        throw thrown;
      };
      const other = errorOf(await runner.run(CHANGES.create));
      assert.ok(other instanceof LocalSaveError);
      assert.equal(other.code, 'UNKNOWN');
      assert.equal(other.reason, 'other');
      assert.equal(other.cause, thrown);
    }
  });

  it('onAnswered comes with the answer, before the durable write; the result after it', async () => {
    const { api, cache, runner } = setup();
    const events: string[] = [];
    cache.onWrite = () => {
      events.push('cache write');
    };
    const ok = runner
      .run(CHANGES.create, { onAnswered: (answeredOk) => events.push(`answered ${answeredOk}`) })
      .then(() => events.push('resolved'));
    await ok;
    api.then(refusal('forbidden'));
    let refusedWith: VbotError | undefined;
    await runner.run(CHANGES.delete, {
      onAnswered: (answeredOk, error) => {
        events.push(`answered ${answeredOk}`);
        refusedWith = error;
      },
    });
    assert.deepEqual(events, ['answered true', 'cache write', 'resolved', 'answered false']);
    assert.equal(refusedWith?.kind, 'forbidden');
  });

  it('a recovery is answered ok', async () => {
    const { api, runner } = setup();
    api.then(LOST, proof(CHANGES.create));
    const answers: boolean[] = [];
    await runner.run(CHANGES.create, { onAnswered: (ok) => answers.push(ok) });
    await runner.run(CHANGES.create, { onAnswered: (ok) => answers.push(ok) });
    assert.deepEqual(answers, [false, true]);
  });

  it('an onAnswered that throws is logged and changes nothing', async () => {
    const { runner, cache, log } = setup();
    const result = await runner.run(CHANGES.create, {
      onAnswered: () => {
        throw new Error('bug');
      },
    });
    assert.equal(result.status, 'done');
    assert.equal(cache.saved.length, 1);
    assert.equal(log.warnings().length, 1);
  });
});

describe('never throws', () => {
  it('an API port that throws: failed, outcome unknown (the request may have gone out)', async () => {
    const { api, journal, runner } = setup();
    api.answer = () => {
      throw new Error('boom');
    };
    const error = errorOf(await runner.run(CHANGES.delete)) as VbotError;
    assert.equal(error.operation, 'deleteType');
    assert.ok(error.outcomeUnknown);
    assert.deepEqual(journal.outcomes(), ['delete:unknown']);
  });

  it('a malformed change: failed as invalid input, nothing sent', async () => {
    const { api, runner } = setup();
    const broken = { op: 'create', ...where } as TypeChange;
    const error = errorOf(await runner.run(broken)) as VbotError;
    assert.equal(error.kind, 'invalidInput');
    assert.equal(api.requests.length, 0);
  });
});
