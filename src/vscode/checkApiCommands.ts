// "VBot: Check API Compatibility…": asks for a project and for consent, then runs the check of
// src/core/apiCheck.ts through the normal client (ApiRunner: token session, timeouts, v2 or v3), remembers
// the updateNo body the server accepted (ApiFacts, global state), and shows a read-only report that can be
// copied for VBot support. The report holds field names and the server's answers, never a secret.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  type CheckOps,
  type CheckResult,
  type CheckStep,
  type StepAnswer,
  cleanUp,
  learnedFrom,
  probeCodes,
  runApiCheck,
} from '../core/apiCheck';
import { ENDPOINTS, updateNoBodyById, updateNoBodyId, UPDATE_NO_FIELDS } from '../core/schemas';
import { validateProjectCode } from '../core/validation';
import type { AnswerRecord } from '../core/vbotClient';
import type { VbotOperation } from '../core/vbotError';
import type { TypeCache } from './activeCache';
import type { ApiFacts } from './apiFacts';
import type { ApiCall, ApiRunner, ProfileApi } from './apiRunner';
import { type CommandResult, readTypeArgs } from './commandArgs';
import type { ReadOnlyDocuments } from './documents';
import { describeInvalid, fieldNames } from './messages';
import type { Notifier } from './notifier';
import { pickProject } from './prompts';
import { markdown, say, sayMarkdown } from './say';
import { type Profile, profileBaseUrl, type Settings } from './settings';

export interface CheckApiDeps {
  runner: ApiRunner;
  notifier: Notifier;
  settings: Settings;
  cache: TypeCache;
  documents: ReadOnlyDocuments;
  facts: ApiFacts;
}

interface Target {
  vbotId: string;
  projectCode: string;
}

/** What the last check of this window left on the server, for "Retry Clean-up". */
interface Leftover {
  api: ProfileApi;
  target: Target;
  codes: string[];
  report: string;
}

export class CheckApiCommands {
  private leftover: Leftover | undefined;

  constructor(private readonly d: CheckApiDeps) {}

  register(): vscode.Disposable[] {
    return [vscode.commands.registerCommand('vbotCrm.checkApi', (a) => this.check(a))];
  }

  /** `{ vbotId?, projectCode?, skipConfirmation? }`; `{ retryCleanup: true }` retries the last failed clean-up. */
  async check(arg?: unknown): Promise<CommandResult> {
    if (arg && typeof arg === 'object' && (arg as { retryCleanup?: unknown }).retryCleanup === true) return this.retryCleanup();
    const read = readTypeArgs(arg);
    if (!read.ok) {
      this.d.notifier.error(read.message);
      return 'invalid';
    }
    const api = this.d.runner.bind();
    const profile = api.profile;
    const target = await this.target(profile, read.args.vbotId, read.args.projectCode);
    if (!target) return 'cancelled';
    const codes = probeCodes(randomTag());
    if (!read.args.skipConfirmation) {
      const yes = await this.d.notifier.confirm(
        say(vscode.l10n.t('Check the VBot API with a temporary customer type in project {0}?'), target.projectCode),
        say(
          vscode.l10n.t(
            'The check makes four changes on the VBot server for VBotID {0} (profile "{1}"): it creates the customer type {2}, renames it, changes its code to {3}, and deletes it again. Nothing else is touched. The report shows field names and what the server answered, never your token, password or API key.',
          ),
          target.vbotId,
          profile.name,
          codes.probe,
          codes.newCode,
        ),
        vscode.l10n.t('Run Check'),
      );
      if (!yes) return 'cancelled';
    }

    const base = profileBaseUrl(profile);
    const apiVersion = profile.apiVersion;
    const origin = base.ok ? base.origin : '';
    const remembered = this.d.facts.updateNoBody(origin, apiVersion);
    const inUse = (remembered !== undefined ? updateNoBodyById(remembered) : undefined) ?? UPDATE_NO_FIELDS;
    const startedAt = new Date();
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: say(vscode.l10n.t('Checking the VBot API with {0}…'), codes.probe),
        cancellable: true,
      },
      async (progress, cancel) => {
        const controller = new AbortController();
        const sub = cancel.onCancellationRequested(() => controller.abort());
        try {
          return await runApiCheck(
            this.ops(api, target, controller.signal, (s) => progress.report({ message: s })),
            codes,
            inUse,
          );
        } finally {
          sub.dispose();
        }
      },
    );
    if (result.acceptedBody && origin) await this.d.facts.rememberUpdateNoBody(origin, apiVersion, result.acceptedBody);
    const inUseAfter = result.acceptedBody ?? updateNoBodyId(inUse);
    const report = renderCheckReport(result, {
      profile: profile.name,
      apiVersion,
      origin,
      target,
      startedAt,
      before: updateNoBodyId(inUse),
      after: inUseAfter,
    });
    await this.d.documents.show(say(vscode.l10n.t('API check {0}'), codes.probe), report);
    return this.conclude(result, api, target, report);
  }

  private conclude(result: CheckResult, api: ProfileApi, target: Target, report: string): CommandResult {
    const copy = { title: vscode.l10n.t('Copy Report'), run: () => vscode.env.clipboard.writeText(report) };
    if (result.remaining.length) {
      this.leftover = { api, target, codes: result.remaining, report };
      this.d.notifier.error(
        say(
          vscode.l10n.t('The temporary customer type {0} may still be in project {1}: deleting it failed. See the report.'),
          result.remaining.join(', '),
          target.projectCode,
        ),
        { title: vscode.l10n.t('Retry Clean-up'), run: () => vscode.commands.executeCommand('vbotCrm.checkApi', { retryCleanup: true }) },
        copy,
      );
      return 'failed';
    }
    this.leftover = undefined;
    if (result.acceptedBody) {
      this.d.notifier.info(
        say(vscode.l10n.t('API check done: changes of code now use {0}; the temporary customer type is deleted.'), result.acceptedBody),
        copy,
      );
      return 'done';
    }
    this.d.notifier.warn(
      say(vscode.l10n.t('API check done with problems: see the report. The temporary customer type is not left on the server.')),
      copy,
      { title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('vbotCrm.showLog') },
    );
    return 'failed';
  }

  /** Deletes what the last check of this window left, under each code it may have. */
  private async retryCleanup(): Promise<CommandResult> {
    const left = this.leftover;
    if (!left) {
      this.d.notifier.info(say(vscode.l10n.t('No temporary customer type of an API check is left to delete.')));
      return 'done';
    }
    const steps: CheckStep[] = [];
    const remaining = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: say(vscode.l10n.t('Deleting the temporary customer type {0}…'), left.codes.join(', ')),
      },
      () =>
        cleanUp(
          this.ops(left.api, left.target, new AbortController().signal, () => undefined),
          left.codes,
          steps,
        ),
    );
    if (remaining.length) {
      this.leftover = { ...left, codes: remaining };
      this.d.notifier.error(
        say(
          vscode.l10n.t('The temporary customer type {0} may still be in project {1}: deleting it failed. See the report.'),
          remaining.join(', '),
          left.target.projectCode,
        ),
        { title: vscode.l10n.t('Retry Clean-up'), run: () => vscode.commands.executeCommand('vbotCrm.checkApi', { retryCleanup: true }) },
        { title: vscode.l10n.t('Copy Report'), run: () => vscode.env.clipboard.writeText(left.report) },
      );
      return 'failed';
    }
    this.leftover = undefined;
    this.d.notifier.info(
      say(vscode.l10n.t('The temporary customer type {0} is deleted from project {1}.'), left.codes.join(', '), left.target.projectCode),
    );
    return 'done';
  }

  /** The project: a v3 profile's own, the argument's, or picked (a typed code is fine: the check creates the type). */
  private async target(profile: Profile, vbotId?: string, projectCode?: string): Promise<Target | undefined> {
    const defaultVbotId = vbotId ?? profile.vbotId;
    if (profile.apiVersion === 'v3' && profile.projectCode)
      return { vbotId: profile.vbotId || defaultVbotId, projectCode: profile.projectCode };
    if (projectCode) return { vbotId: defaultVbotId, projectCode };
    const picked = await pickProject(
      { title: vscode.l10n.t('Check API Compatibility: pick the project to create a temporary customer type in'), step: 1, totalSteps: 1 },
      this.d.cache.snapshot(),
      {
        vbotId,
        allowNew: true,
        defaultVbotId,
        validateNew: (code) => describeInvalid(validateProjectCode(code), fieldNames.projectCode()),
      },
    );
    return picked && { vbotId: picked.vbotId || defaultVbotId, projectCode: picked.projectCode };
  }

  /** The check's calls through the normal runner; the clean-up runs even after a cancel (its own signal). */
  private ops(api: ProfileApi, target: Target, signal: AbortSignal, report: (step: string) => void): CheckOps {
    const call = async (operation: VbotOperation, typeNo: string, run: ApiCall<unknown>['run'], own = signal): Promise<StepAnswer> => {
      let answer: AnswerRecord | undefined;
      report(typeNo);
      const started = Date.now();
      const outcome = await api.call(
        {
          operation,
          typeNo,
          run,
          onAnswer: (a) => {
            answer = a;
          },
        },
        own,
      );
      const ms = answer?.ms ?? Date.now() - started;
      if (outcome.ok) return { ok: true, answer, ms };
      const e = outcome.error;
      return {
        ok: false,
        kind: e.kind,
        serverCode: e.serverCode,
        serverMessage: e.serverMessage,
        httpStatus: e.httpStatus,
        outcomeUnknown: e.outcomeUnknown,
        answer,
        ms,
      };
    };
    const cleanupSignal = new AbortController().signal;
    return {
      create: (typeNo, typeName) => call('createType', typeNo, (c, t, s) => c.createType({ ...target, typeNo, typeName }, t, s)),
      rename: (typeNo, typeName) => call('updateTypeName', typeNo, (c, t, s) => c.updateTypeName({ ...target, typeNo, typeName }, t, s)),
      changeCode: (oldTypeNo, newTypeNo, fields) =>
        call('changeTypeCode', oldTypeNo, (c, t, s) => c.changeTypeCode({ ...target, oldTypeNo, newTypeNo }, t, s, fields)),
      delete: (typeNo) => call('deleteType', typeNo, (c, t, s) => c.deleteType({ ...target, typeNo }, t, s), cleanupSignal),
    };
  }
}

function randomTag(): string {
  return randomBytes(3).toString('hex').toUpperCase();
}

interface ReportContext {
  profile: string;
  apiVersion: 'v2' | 'v3';
  origin: string;
  target: Target;
  startedAt: Date;
  /** The updateNo body in use before the check and from now on (`old/new`). */
  before: string;
  after: string;
}

const ENDPOINT_OF: Record<CheckStep['step'], string> = {
  create: ENDPOINTS.createType,
  rename: ENDPOINTS.updateTypeName,
  verify: ENDPOINTS.updateTypeName,
  changeCode: ENDPOINTS.changeTypeCode,
  delete: ENDPOINTS.deleteType,
};

/** The report: localized Markdown, every value escaped (sayMarkdown / markdown), nothing secret. */
export function renderCheckReport(result: CheckResult, c: ReportContext): string {
  const stepName: Record<CheckStep['step'], () => string> = {
    create: () => vscode.l10n.t('Create'),
    rename: () => vscode.l10n.t('Rename'),
    changeCode: () => vscode.l10n.t('Change code'),
    verify: () => vscode.l10n.t('Rename under the new code (proves the code changed)'),
    delete: () => vscode.l10n.t('Delete'),
  };
  const envelopeName = (e?: 'withStatus' | 'errorOnly') =>
    e === 'withStatus' ? vscode.l10n.t('status + error') : e === 'errorOnly' ? vscode.l10n.t('error only') : '—';
  const learned = learnedFrom(result);
  const lines: string[] = [
    `# ${vscode.l10n.t('VBot API compatibility check')}`,
    '',
    `- ${sayMarkdown(vscode.l10n.t('Profile: {0}, API {1} at {2}'), c.profile, c.apiVersion, c.origin)}`,
    `- ${sayMarkdown(vscode.l10n.t('Project: {0} (VBotID {1})'), c.target.projectCode, c.target.vbotId)}`,
    `- ${sayMarkdown(vscode.l10n.t('Temporary customer type: {0}, code changed to {1}'), result.probe, result.newCode)}`,
    `- ${sayMarkdown(vscode.l10n.t('Started: {0}'), c.startedAt.toISOString())}`,
    '',
    `## ${vscode.l10n.t('Steps')}`,
    '',
    `| # | ${[vscode.l10n.t('Step'), vscode.l10n.t('Request fields'), vscode.l10n.t('Result'), vscode.l10n.t('Envelope'), 'error', 'message', 'HTTP', vscode.l10n.t('Time')].join(' | ')} |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  result.steps.forEach((s, i) => {
    const what = `${stepName[s.step]()} ${markdown(s.typeNo)}${s.updateNoBody ? ` (${markdown(s.updateNoBody)})` : ''}`;
    const note =
      s.note === 'bodyRefused'
        ? ` — ${vscode.l10n.t('this body was refused')}`
        : s.note === 'codeUnchanged'
          ? ` — ${vscode.l10n.t('answered yes, but the code did not change')}`
          : '';
    const outcome = (s.ok ? vscode.l10n.t('ok') : markdown(s.kind ?? '?')) + note;
    const fields = s.requestFields.length ? markdown(s.requestFields.join(', ')) : '—';
    const cells = [
      String(i + 1),
      `${what} · ${markdown(ENDPOINT_OF[s.step])}`,
      fields,
      outcome,
      envelopeName(s.envelope),
      s.error !== undefined ? String(s.error) : '—',
      s.message ? markdown(s.message) : '—',
      s.httpStatus !== undefined ? String(s.httpStatus) : '—',
      `${s.ms} ms`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  });

  lines.push('', `## ${vscode.l10n.t('What was learned')}`, '');
  const tried = result.bodiesTried.join('; ');
  switch (result.bodySearch) {
    case 'accepted':
      lines.push(
        `- ${sayMarkdown(vscode.l10n.t('updateNo: the server changed the code with the body {0} (tried: {1}).'), result.acceptedBody, tried)}`,
      );
      break;
    case 'noneAccepted':
      lines.push(
        `- ${sayMarkdown(vscode.l10n.t('updateNo: the server accepted none of the bodies tried ({0}). Please send this report to VBot support.'), tried)}`,
      );
      break;
    case 'stopped':
      lines.push(
        `- ${sayMarkdown(vscode.l10n.t('updateNo: a failure that is not about the body stopped the search after {0} (see the steps).'), tried)}`,
      );
      break;
    case 'notReached':
      lines.push(`- ${vscode.l10n.t('updateNo: the check did not get as far as changing the code (see the steps).')}`);
      break;
  }
  if (learned.envelopes.length)
    lines.push(`- ${sayMarkdown(vscode.l10n.t('Answers use the envelope: {0}.'), learned.envelopes.map(envelopeName).join(', '))}`);
  if (learned.successStatuses.length)
    lines.push(`- ${sayMarkdown(vscode.l10n.t('Successful answers come with HTTP {0}.'), learned.successStatuses.join(', '))}`);
  if (learned.businessErrorStatuses.length)
    lines.push(
      `- ${sayMarkdown(vscode.l10n.t('Refusals (an error in the envelope) come with HTTP {0}.'), learned.businessErrorStatuses.join(', '))}`,
    );

  lines.push('', `## ${vscode.l10n.t('From now on')}`, '');
  lines.push(
    c.before === c.after
      ? `- ${sayMarkdown(vscode.l10n.t('Changes of code on this API use the body {0}, as before.'), c.after)}`
      : `- ${sayMarkdown(vscode.l10n.t('Changes of code on this API use the body {0} (before: {1}). This is remembered for {2}.'), c.after, c.before, c.origin)}`,
  );

  lines.push('', `## ${vscode.l10n.t('Clean-up')}`, '');
  const created = result.steps.some((s) => s.step === 'create' && s.ok) || result.steps.some((s) => s.step === 'delete');
  if (result.remaining.length) {
    lines.push(
      `- ${sayMarkdown(vscode.l10n.t('The temporary customer type may still be in project {0} under the code {1}. Use "Retry Clean-up" in the notification, or delete it in VBot.'), c.target.projectCode, result.remaining.join(', '))}`,
    );
  } else {
    lines.push(
      `- ${created ? vscode.l10n.t('The temporary customer type is deleted: nothing of the check is left on the server.') : vscode.l10n.t('Nothing was created, so nothing is left on the server.')}`,
    );
  }
  lines.push('', vscode.l10n.t('This report holds field names and what the server answered, never your token, password or API key.'), '');
  return lines.join('\n');
}
