// The model of a change: the request it sends, the cache edit, the journal record and back, its inverse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  type ChangeRecord,
  type ChangeClient,
  type TypeChange,
  addressedCode,
  apiRequestOf,
  cacheEditOf,
  changeCodeChange,
  changeOfRecord,
  codesOf,
  createChange,
  deleteChange,
  describeChange,
  inverseOf,
  proofOfDone,
  recordOf,
  renameChange,
  resultCode,
  sameChange,
  undoOfRecord,
} from '../../src/core/change/typeChange';

const where = { vbotId: 'VB1', projectCode: 'P1' };
const create = createChange(where, { typeNo: 'VIP', typeName: 'Khách VIP' });
const rename = renameChange(where, 'VIP', 'Khách VIP', 'Khách hàng VIP');
const changeCode = changeCodeChange(where, 'VIP', 'GOLD', 'Khách VIP');
const remove = deleteChange(where, 'VIP', 'Khách VIP');
const ALL: ReadonlyArray<TypeChange> = [create, rename, changeCode, remove];

/** A client that records the one call it gets. */
function recordingClient() {
  const calls: Array<{ method: string; arg: unknown; token: string; signal?: AbortSignal }> = [];
  const record = (method: string) => async (arg: unknown, token: string, signal?: AbortSignal) => {
    calls.push({ method, arg, token, signal });
  };
  const client: ChangeClient = {
    v3Call: () => Promise.reject(new Error('a type change makes no v3 call')),
    createType: record('createType'),
    updateTypeName: record('updateTypeName'),
    changeTypeCode: record('changeTypeCode'),
    deleteType: record('deleteType'),
  };
  return { client, calls };
}

describe('apiRequestOf', () => {
  const cases: Array<[TypeChange, string, unknown]> = [
    [create, 'createType', { vbotId: 'VB1', projectCode: 'P1', typeNo: 'VIP', typeName: 'Khách VIP' }],
    [rename, 'updateTypeName', { vbotId: 'VB1', projectCode: 'P1', typeNo: 'VIP', typeName: 'Khách hàng VIP' }],
    [changeCode, 'changeTypeCode', { vbotId: 'VB1', projectCode: 'P1', oldTypeNo: 'VIP', newTypeNo: 'GOLD' }],
    [remove, 'deleteType', { vbotId: 'VB1', projectCode: 'P1', typeNo: 'VIP' }],
  ];
  for (const [change, method, arg] of cases) {
    it(`${change.op} calls ${method} with exactly its fields, the token and the signal`, async () => {
      const { client, calls } = recordingClient();
      const request = apiRequestOf(change);
      assert.equal(request.operation, method);
      assert.equal(request.typeNo, 'VIP');
      const signal = new AbortController().signal;
      await request.send(client, 'token-1', signal);
      assert.deepEqual(calls, [{ method, arg, token: 'token-1', signal }]);
    });
  }
});

describe('what a change addresses', () => {
  it('the addressed code, the resulting code and the codes touched', () => {
    assert.deepEqual(ALL.map(addressedCode), ['VIP', 'VIP', 'VIP', 'VIP']);
    assert.deepEqual(ALL.map(resultCode), ['VIP', 'VIP', 'GOLD', undefined]);
    assert.deepEqual(ALL.map(codesOf), [['VIP'], ['VIP'], ['VIP', 'GOLD'], ['VIP']]);
  });

  it('sameChange compares the operation, the place and the codes, not the names', () => {
    assert.ok(sameChange(create, createChange(where, { typeNo: 'VIP', typeName: 'other' })));
    assert.ok(sameChange(remove, deleteChange(where, 'VIP', '')));
    assert.ok(!sameChange(create, createChange({ ...where, projectCode: 'P2' }, { typeNo: 'VIP', typeName: 'Khách VIP' })));
    assert.ok(!sameChange(create, createChange({ ...where, vbotId: 'VB2' }, { typeNo: 'VIP', typeName: 'Khách VIP' })));
    assert.ok(!sameChange(changeCode, changeCodeChange(where, 'VIP', 'SILVER', 'Khách VIP')));
    assert.ok(!sameChange(remove, create));
  });

  it('proofOfDone: 409 for a create, 404 for a delete or a change of code, none for a rename', () => {
    assert.deepEqual(ALL.map(proofOfDone), ['alreadyExists', undefined, 'notFound', 'notFound']);
  });

  it('describeChange says what it does in one line, values quoted', () => {
    assert.deepEqual(ALL.map(describeChange), [
      'create VIP "Khách VIP" in VB1/P1',
      'rename VIP: "Khách VIP" → "Khách hàng VIP" in VB1/P1',
      'change code VIP → GOLD in VB1/P1',
      'delete VIP in VB1/P1',
    ]);
  });
});

describe('cacheEditOf', () => {
  it('makes the local list agree with what the server said', () => {
    assert.deepEqual(ALL.map(cacheEditOf), [
      { kind: 'upsert', ...where, typeNo: 'VIP', typeName: 'Khách VIP' },
      { kind: 'upsert', ...where, typeNo: 'VIP', typeName: 'Khách hàng VIP' },
      { kind: 'changeCode', ...where, oldNo: 'VIP', newNo: 'GOLD', typeName: 'Khách VIP' },
      { kind: 'remove', ...where, typeNo: 'VIP' },
    ]);
  });

  it('a change of code with no known name carries an empty name (the cache keeps its own)', () => {
    assert.deepEqual(cacheEditOf(changeCodeChange(where, 'A', 'B', '')), {
      kind: 'changeCode',
      ...where,
      oldNo: 'A',
      newNo: 'B',
      typeName: '',
    });
  });
});

describe('recordOf and changeOfRecord', () => {
  it('records every field, the message and the undo link', () => {
    assert.deepEqual(recordOf(rename, { profile: 'work', outcome: 'failed', message: 'refused', undoOf: 'id-1' }), {
      profile: 'work',
      ...where,
      operation: 'rename',
      typeNo: 'VIP',
      before: { typeNo: 'VIP', typeName: 'Khách VIP' },
      after: { typeNo: 'VIP', typeName: 'Khách hàng VIP' },
      outcome: 'failed',
      message: 'refused',
      undoOf: 'id-1',
    });
    const plain = recordOf(create, { profile: 'work', outcome: 'done' });
    assert.deepEqual(plain, {
      profile: 'work',
      ...where,
      operation: 'create',
      typeNo: 'VIP',
      after: { typeNo: 'VIP', typeName: 'Khách VIP' },
      outcome: 'done',
    });
    assert.ok(!('message' in plain) && !('undoOf' in plain) && !('before' in plain));
  });

  it('a create has no before, a delete no after', () => {
    assert.equal(recordOf(remove, { profile: 'p', outcome: 'done' }).after, undefined);
    assert.deepEqual(recordOf(remove, { profile: 'p', outcome: 'done' }).before, { typeNo: 'VIP', typeName: 'Khách VIP' });
    assert.equal(recordOf(create, { profile: 'p', outcome: 'done' }).before, undefined);
  });

  for (const change of ALL) {
    it(`${change.op}: the record gives back the same change, names included`, () => {
      assert.deepEqual(changeOfRecord(recordOf(change, { profile: 'p', outcome: 'done' })), change);
    });
  }

  it("unknown names are left out of the record, and come back as ''", () => {
    const renameUnknown = renameChange(where, 'VIP', '', 'New');
    const recordedRename = recordOf(renameUnknown, { profile: 'p', outcome: 'done' });
    assert.equal(recordedRename.before, undefined);
    assert.deepEqual(changeOfRecord(recordedRename), renameUnknown);

    const deleteUnknown = deleteChange(where, 'VIP', '');
    const recordedDelete = recordOf(deleteUnknown, { profile: 'p', outcome: 'done' });
    assert.equal(recordedDelete.before, undefined);
    assert.deepEqual(changeOfRecord(recordedDelete), deleteUnknown);
  });

  it('a change of code keeps both codes even without a name', () => {
    const unnamed = changeCodeChange(where, 'A', 'B', '');
    const recorded = recordOf(unnamed, { profile: 'p', outcome: 'unknown' });
    assert.deepEqual(recorded.before, { typeNo: 'A', typeName: '' });
    assert.deepEqual(recorded.after, { typeNo: 'B', typeName: '' });
    assert.deepEqual(changeOfRecord(recorded), unnamed);
  });

  it('an old entry with a change of code but no states still names its addressed code', () => {
    const entry: Omit<ChangeRecord, 'profile' | 'outcome'> = { ...where, operation: 'changeCode', typeNo: 'A' };
    assert.deepEqual(changeOfRecord(entry), changeCodeChange(where, 'A', 'A', ''));
  });
});

describe('inverseOf', () => {
  it('undoes each operation', () => {
    assert.deepEqual(inverseOf(create), { change: deleteChange(where, 'VIP', 'Khách VIP') });
    assert.deepEqual(inverseOf(remove), { change: createChange(where, { typeNo: 'VIP', typeName: 'Khách VIP' }) });
    assert.deepEqual(inverseOf(rename), { change: renameChange(where, 'VIP', 'Khách hàng VIP', 'Khách VIP') });
    assert.deepEqual(inverseOf(changeCode), { change: changeCodeChange(where, 'GOLD', 'VIP', 'Khách VIP') });
  });

  it('the inverse of the inverse is the change again', () => {
    for (const change of ALL) {
      const once = inverseOf(change);
      assert.ok('change' in once);
      assert.deepEqual(inverseOf(once.change), { change });
    }
  });

  const impossible: Array<[string, TypeChange]> = [
    ['a bad VBotID', createChange({ ...where, vbotId: '' }, { typeNo: 'VIP', typeName: 'n' })],
    ['a bad project code', deleteChange({ ...where, projectCode: 'a\nb' }, 'VIP', 'n')],
    ['a create with a bad code', createChange(where, { typeNo: ' ', typeName: 'n' })],
    ['a delete with no known name', deleteChange(where, 'VIP', '')],
    ['a delete with a bad code', deleteChange(where, 'x'.repeat(51), 'n')],
    ['a rename with no known earlier name', renameChange(where, 'VIP', '', 'New')],
    ['a rename to the same name', renameChange(where, 'VIP', 'Same', 'Same')],
    ['a rename with a bad code', renameChange(where, '\u202E', 'a', 'b')],
    ['a change to the same code', changeCodeChange(where, 'VIP', 'VIP', 'n')],
    ['a change of code with a bad code', changeCodeChange(where, 'VIP', '', 'n')],
    ['a change of code missing a state', { op: 'changeCode', ...where, before: { typeNo: 'VIP', typeName: '' } }],
  ];
  for (const [what, change] of impossible) {
    it(`is impossible for ${what}`, () => {
      const inverse = inverseOf(change);
      assert.ok('impossible' in inverse, JSON.stringify(inverse));
      assert.equal(typeof inverse.impossible, 'string');
    });
  }
});

describe('undoOfRecord', () => {
  const entry = (change: TypeChange, outcome: ChangeRecord['outcome']) => ({ ...recordOf(change, { profile: 'p', outcome }), id: 'e1' });

  it('undoes a done entry and names it', () => {
    assert.deepEqual(undoOfRecord(entry(create, 'done')), { change: deleteChange(where, 'VIP', 'Khách VIP'), undoOf: 'e1' });
    assert.deepEqual(undoOfRecord(entry(changeCode, 'done')), {
      change: changeCodeChange(where, 'GOLD', 'VIP', 'Khách VIP'),
      undoOf: 'e1',
    });
    assert.deepEqual(undoOfRecord(entry(rename, 'done')), {
      change: renameChange(where, 'VIP', 'Khách hàng VIP', 'Khách VIP'),
      undoOf: 'e1',
    });
    assert.deepEqual(undoOfRecord(entry(remove, 'done')), {
      change: createChange(where, { typeNo: 'VIP', typeName: 'Khách VIP' }),
      undoOf: 'e1',
    });
  });

  it('refuses a failed or unknown entry, and a delete whose name was not recorded', () => {
    for (const outcome of ['failed', 'unknown'] as const) {
      const undo = undoOfRecord(entry(create, outcome));
      assert.ok('impossible' in undo);
      assert.equal(undo.undoOf, undefined);
    }
    assert.ok('impossible' in undoOfRecord(entry(deleteChange(where, 'VIP', ''), 'done')));
    assert.ok('impossible' in undoOfRecord(entry(renameChange(where, 'VIP', '', 'New'), 'done')));
  });
});
