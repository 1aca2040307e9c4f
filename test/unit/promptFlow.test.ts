// Back in multi-step inputs (src/vscode/promptFlow.ts): a flow written as straight code runs again on Back,
// answering the prompts before the one returned to without showing them, and each prompt opens with what was
// last in it. The prompts here are scripted: each "shows" by recording itself and answering from a list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Answer, BACK, type FlowPrompt, PromptFlow, type Step, askInStep } from '../../src/vscode/promptFlow';

interface Shown {
  key: string;
  step: string;
  back: boolean;
  kept?: string;
}

/** A person answering prompts: each reply is a value (accepted), BACK (with what is typed), or undefined (Escape). */
function person(replies: Array<string | { back: string } | typeof BACK | undefined>) {
  const shown: Shown[] = [];
  const ask = (step: Step, key: string) =>
    askInStep<string>(step, key, async (p: FlowPrompt): Promise<Answer<string>> => {
      shown.push({ key, step: `${step.step}/${step.totalSteps}`, back: p.back, kept: p.kept });
      if (!replies.length) throw new Error(`no reply left for ${key}`);
      const reply = replies.shift();
      if (reply === BACK || reply === undefined) return reply;
      if (typeof reply === 'object') {
        p.keep(reply.back); // what was typed when Back was pressed
        return BACK;
      }
      p.keep(reply);
      return reply;
    });
  return { shown, ask };
}

describe('PromptFlow: Back in multi-step inputs', () => {
  test('Back from step 2 shows step 1 again with its answer; step 2 then opens with what was typed', async () => {
    const p = person(['SALES', { back: 'VI' }, 'OPS', 'VIP', 'Khách VIP']);
    let runs = 0;
    const result = await PromptFlow.run('Add Customer Type', 3, async (flow) => {
      runs++;
      const project = await p.ask(flow.next(), 'project');
      if (!project) return undefined;
      const code = await p.ask(flow.next(), 'code');
      if (!code) return undefined;
      const name = await p.ask(flow.next(), 'name');
      return name && [project, code, name];
    });
    assert.deepEqual(result, ['OPS', 'VIP', 'Khách VIP']);
    assert.equal(runs, 2);
    assert.deepEqual(p.shown, [
      { key: 'project', step: '1/3', back: false, kept: undefined },
      { key: 'code', step: '2/3', back: true, kept: undefined },
      { key: 'project', step: '1/3', back: false, kept: 'SALES' },
      { key: 'code', step: '2/3', back: true, kept: 'VI' },
      { key: 'name', step: '3/3', back: true, kept: undefined },
    ]);
  });

  test('the prompts before the one returned to are answered as before, without showing', async () => {
    const p = person(['A', 'B', { back: '' }, BACK, 'A', 'B2', 'C', 'D']);
    const result = await PromptFlow.run('Four', 4, async (flow) => {
      const out: string[] = [];
      for (const key of ['a', 'b', 'c', 'd']) {
        const v = await p.ask(flow.next(), key);
        if (!v) return undefined;
        out.push(v);
      }
      return out.join();
    });
    assert.equal(result, 'A,B2,C,D');
    // Back at c → b shows (a answered silently); Back at b → a shows; then forward again.
    assert.deepEqual(
      p.shown.map((s) => `${s.key}${s.step}${s.kept ? `=${s.kept}` : ''}`),
      ['a1/4', 'b2/4', 'c3/4', 'b2/4=B', 'a1/4=A', 'b2/4=B', 'c3/4', 'd4/4'],
    );
  });

  test('a step given as an argument is not asked: the first prompt shown has no Back, and Back skips the given step', async () => {
    const p = person([{ back: 'x' }]);
    // Only one question: it is the flow's first prompt, so it offers no Back (and a Back would be a bug).
    await PromptFlow.run('One', 1, async (flow) => {
      const given = 'SALES';
      return given ?? (await p.ask(flow.next(), 'project'));
    });
    assert.deepEqual(p.shown, []);

    const q = person(['u', { back: 'pw' }, 'u2', 'pw2']);
    const creds = await PromptFlow.run('Sign In', 2, async (flow) => {
      const user = await q.ask(flow.next(), 'user');
      const password = user && (await q.ask(flow.next(), `password for ${user}`));
      return password && [user, password];
    });
    assert.deepEqual(creds, ['u2', 'pw2']);
    assert.deepEqual(
      q.shown.map((s) => [s.key, s.back, s.kept]),
      [
        ['user', false, undefined],
        ['password for u', true, undefined],
        ['user', false, 'u'],
        // Another user: another question, which does not open with the password typed for the first one.
        ['password for u2', true, undefined],
      ],
    );
  });

  test('Escape at any step cancels the whole flow, also after a Back', async () => {
    const p = person(['A', BACK, undefined]);
    const result = await PromptFlow.run('Two', 2, async (flow) => {
      const a = await p.ask(flow.next(), 'a');
      if (!a) return 'cancelled';
      const b = await p.ask(flow.next(), 'b');
      return b ? 'done' : 'cancelled';
    });
    assert.equal(result, 'cancelled');
    assert.equal(p.shown.length, 3);
  });

  test('an unplanned question stretches the count, and the count starts over on each run', async () => {
    const p = person(['NEW', BACK, 'NEW', 'VB1', 'VIP']);
    const steps: string[] = [];
    await PromptFlow.run('Add', 2, async (flow) => {
      const project = await p.ask(flow.next(), 'project');
      const vbotId = await p.ask(flow.extra(), 'vbotId');
      const code = await p.ask(flow.next(), 'code');
      return [project, vbotId, code];
    });
    for (const s of p.shown) steps.push(`${s.key} ${s.step}`);
    assert.deepEqual(steps, ['project 1/2', 'vbotId 2/3', 'project 1/2', 'vbotId 2/3', 'code 3/3']);

    const r = person(['v3', 'URL']);
    await PromptFlow.run('Profile', 2, async (flow) => {
      await r.ask(flow.next(), 'version');
      flow.more(); // v3: a project code will be asked as well
      await r.ask(flow.next(), 'url');
    });
    assert.deepEqual(
      r.shown.map((s) => s.step),
      ['1/2', '2/3'],
    );
  });

  test('outside a flow a prompt has no Back and keeps nothing; errors other than Back pass through', async () => {
    const p = person([BACK]);
    assert.equal(await p.ask({ title: 't', step: 1, totalSteps: 1 }, 'alone'), undefined, 'a stray Back is Escape');
    assert.deepEqual(p.shown, [{ key: 'alone', step: '1/1', back: false, kept: undefined }]);
    await assert.rejects(
      PromptFlow.run('Boom', 1, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
  });
});
