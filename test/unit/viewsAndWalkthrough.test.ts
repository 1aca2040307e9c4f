// Issue 12, as VS Code's UX guidelines ask: at most three actions in a view's title bar (the rest in its "…"
// menu), Sign In there only when signed out; welcome views with one primary button and a help link; a
// walkthrough of four steps (sign in, add a project, add or import types, keep them as code) whose images
// ship in the .vsix. Read from package.json and its English and Vietnamese strings, as VS Code reads them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const nls = {
  en: JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>,
  vi: JSON.parse(readFileSync(join(ROOT, 'package.nls.vi.json'), 'utf8')) as Record<string, string>,
};
const text = (lang: 'en' | 'vi', value: string) => value.replace(/^%(.+)%$/, (_, key: string) => nls[lang][key] ?? `<missing ${key}>`);

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/** A `when` clause of the shapes the manifest uses (`a && !b && view == x`); anything else fails the test. */
function holds(when: string | undefined, context: Record<string, string | boolean>): boolean {
  if (!when) return true;
  return when.split('&&').every((raw) => {
    const term = raw.trim();
    const eq = /^([\w.]+) == ([\w.]+)$/.exec(term);
    if (eq) return context[eq[1]] === eq[2];
    const flag = /^(!?)([\w.]+)$/.exec(term);
    assert.ok(flag, `a when clause this test cannot read: ${when}`);
    return (flag[1] === '!') !== !!context[flag[2]];
  });
}

const contexts = (view: string) =>
  [false, true].flatMap((signedIn) =>
    [false, true].flatMap((hasProjects) =>
      [false, true].map((trusted) => ({
        view,
        'vbotCrm.signedIn': signedIn,
        'vbotCrm.hasProjects': hasProjects,
        isWorkspaceTrusted: trusted,
      })),
    ),
  );

/** A line of a welcome view or walkthrough step that is only a link: VS Code draws it as a button. */
const buttons = (content: string) => content.split('\n').filter((line) => /^\[[^\]]+\]\([^)]+\)$/.test(line.trim()));

describe('view title bars, welcome views and the walkthrough (package.json)', () => {
  const titleEntries: MenuEntry[] = manifest.contributes.menus['view/title'];

  it('each view title bar shows at most three actions, whatever the state; the rest are in its "…" menu', () => {
    for (const view of manifest.contributes.views.vbotCrm.map((v: { id: string }) => v.id)) {
      for (const context of contexts(view)) {
        const shown = titleEntries.filter((e) => e.group?.startsWith('navigation') && holds(e.when, context));
        assert.ok(shown.length <= 3, `${JSON.stringify(context)}: ${shown.map((e) => e.command).join(', ')}`);
      }
    }
  });

  it('Sign In is in the title bar only when signed out; then Switch Profile moves to the "…" menu', () => {
    const navigation = (signedIn: boolean) =>
      titleEntries
        .filter((e) => e.group?.startsWith('navigation'))
        .filter((e) => holds(e.when, { view: 'vbotCrm.types', 'vbotCrm.signedIn': signedIn, 'vbotCrm.hasProjects': true }))
        .sort((a, b) => Number(a.group!.split('@')[1]) - Number(b.group!.split('@')[1]))
        .map((e) => e.command.replace('vbotCrm.viewTitle.', ''));
    assert.deepEqual(navigation(false), ['signIn', 'addType', 'refresh']);
    assert.deepEqual(navigation(true), ['addType', 'switchProfile', 'refresh']);
    const inMenu = titleEntries.filter(
      (e) => e.command === 'vbotCrm.viewTitle.switchProfile' && holds(e.when, { view: 'vbotCrm.types', 'vbotCrm.signedIn': false }),
    );
    assert.deepEqual(
      inMenu.map((e) => e.group),
      ['8_account@1'],
      'signed out, Switch Profile is still one click away',
    );
  });

  it('the types view welcomes with one button each (Sign In; Add Project) and links to import and to the walkthrough', () => {
    const welcome = manifest.contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'vbotCrm.types');
    const walkthroughLink = `command:workbench.action.openWalkthrough?${encodeURIComponent(JSON.stringify(['vbotcrm.vbot-crm#gettingStarted', false]))}`;
    for (const lang of ['en', 'vi'] as const) {
      const shown = welcome.map((w: { contents: string; when?: string }) => ({ when: w.when, contents: text(lang, w.contents) }));
      assert.deepEqual(
        shown.map((w: { contents: string }) => buttons(w.contents).map((b) => b.replace(/^\[.*\]/, ''))),
        [['(command:vbotCrm.signIn)'], ['(command:vbotCrm.addProject)']],
        lang,
      );
      for (const w of shown) assert.ok(w.contents.includes(`](${walkthroughLink})`), `${lang} ${w.when}: a link to the walkthrough`);
      assert.ok(shown[1].contents.includes('](command:vbotCrm.importTypes)'), `${lang}: import stays a link`);
    }
    assert.equal(`${manifest.publisher}.${manifest.name}`, 'vbotcrm.vbot-crm', 'the extension id the links name');
  });

  it('the walkthrough: sign in, add a project, add or import types, keep them as code; each with a button and an image in the .vsix', () => {
    const [walkthrough, ...others] = manifest.contributes.walkthroughs;
    assert.equal(others.length, 0, 'one walkthrough');
    assert.equal(walkthrough.id, 'gettingStarted');
    const steps = walkthrough.steps as Array<{
      id: string;
      title: string;
      description: string;
      media: { svg: string };
      completionEvents: string[];
    }>;
    assert.deepEqual(
      steps.map((s) => s.id),
      ['signIn', 'addProject', 'addTypes', 'asCode'],
    );
    assert.deepEqual(steps[0].completionEvents, ['onContext:vbotCrm.signedIn'], 'done once signed in (not on a cancelled sign-in)');
    assert.deepEqual(steps[1].completionEvents, ['onContext:vbotCrm.hasProjects']);
    const commands = new Set(manifest.contributes.commands.map((c: { command: string }) => c.command));
    const rules = readFileSync(join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const step of steps) {
      for (const lang of ['en', 'vi'] as const) {
        assert.doesNotMatch(text(lang, step.title), /<missing/);
        const actions = buttons(text(lang, step.description));
        assert.ok(actions.length >= 1, `${lang} ${step.id}: a button`);
        for (const b of actions)
          assert.ok(commands.has(/\(command:([\w.]+)\)/.exec(b)?.[1]), `${lang} ${step.id}: ${b} runs a command of ours`);
      }
      for (const event of step.completionEvents.filter((e) => e.startsWith('onCommand:')))
        assert.ok(commands.has(event.slice('onCommand:'.length)), event);
      assert.ok(existsSync(join(ROOT, step.media.svg)), step.media.svg);
      assert.ok(inVsix(rules, step.media.svg), `${step.media.svg} is packaged (.vscodeignore)`);
    }
  });
});

/** As vsce reads .vscodeignore: the last rule that matches a path decides; "!" keeps it. */
function inVsix(rules: string[], path: string): boolean {
  let kept = true;
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const glob = negated ? rule.slice(1) : rule;
    const re = new RegExp(
      `^${glob
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
        .join('.*')}$`,
    );
    if (re.test(path)) kept = negated;
  }
  return kept;
}
