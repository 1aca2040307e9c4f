// Plan of a vbot-types.json's "fields" (choice lists, API v3): the server's own list is read through the profile's
// API, as the fields tree reads it (nothing is changed), and each declared field is planned against it
// (core/typesAsCode/fieldPlanner.ts). Only a v3 profile whose API key is for the project can read it; for any other
// project the plan says why and plans nothing for its fields.
import type { DesiredProject, DesiredState } from '../core/typesAsCode/format';
import { type FieldPlan, planField } from '../core/typesAsCode/fieldPlanner';
import { FieldsApi } from '../core/fields/fieldsApi';
import type { VbotOperation } from '../core/vbotError';
import type { Outcome, ProfileApi } from './apiRunner';
import { describeFieldFailure } from './fieldMessages';
import { type Safe, say } from './say';
import * as vscode from 'vscode';

export interface FieldsPlanning {
  /** One per declared field that could be read, in file order. */
  readonly plans: ReadonlyArray<FieldPlan>;
  /** Why a project's (or a field's) list was not planned. */
  readonly notPlanned: ReadonlyArray<Safe>;
}

/** Every item of the fields' plans, in plan order. */
export const fieldItems = (f: FieldsPlanning | undefined) => f?.plans.flatMap((p) => p.items) ?? [];

/** Reads what the file's "fields" need from the server and plans them; undefined when no project declares fields. */
export async function planFields(api: ProfileApi, state: DesiredState): Promise<FieldsPlanning | undefined> {
  const declaring = state.projects.filter((p) => p.fields?.length);
  if (declaring.length === 0) return undefined;
  const plans: FieldPlan[] = [];
  const notPlanned: Safe[] = [];
  for (const project of declaring) {
    const why = unreadable(api, project);
    if (why) notPlanned.push(why);
    else await planProject(api, project, plans, notPlanned);
  }
  return { plans, notPlanned };
}

/** Why the profile cannot read the project's fields, if it cannot. */
function unreadable(api: ProfileApi, project: DesiredProject): Safe | undefined {
  const p = api.profile;
  if (p.apiVersion !== 'v3' || !p.projectCode)
    return say(
      vscode.l10n.t('The customer fields of project {0} are not planned: profile "{1}" does not use API v3 with an API key.'),
      project.projectCode,
      p.name,
    );
  if (p.projectCode !== project.projectCode || p.vbotId !== project.vbotId)
    return say(
      vscode.l10n.t('The customer fields of project {0} are not planned: the API key of profile "{1}" is for project {2}.'),
      project.projectCode,
      p.name,
      p.projectCode,
    );
  return undefined;
}

async function planProject(api: ProfileApi, project: DesiredProject, plans: FieldPlan[], notPlanned: Safe[]): Promise<void> {
  const fields = await read(api, 'readFields', undefined, (f) => f.readChoiceFields());
  if (!fields.ok) {
    notPlanned.push(
      say(
        vscode.l10n.t('The customer fields of project {0} are not planned: {1}'),
        project.projectCode,
        describeFieldFailure(fields.error),
      ),
    );
    return;
  }
  const where = { vbotId: project.vbotId, projectCode: project.projectCode };
  for (const declared of project.fields ?? []) {
    const field = fields.value.fields.find((f) => f.code === declared.fieldCode);
    if (!field) {
      plans.push(planField(where, declared, undefined, []));
      continue;
    }
    const options = await read(api, 'readOptions', field.code, (f) => f.readOptions(field.code));
    if (options.ok) plans.push(planField(where, declared, field, options.value.options));
    else notPlanned.push(say(vscode.l10n.t('Field {0} is not planned: {1}'), declared.fieldCode, describeFieldFailure(options.error)));
  }
}

function read<T>(
  api: ProfileApi,
  operation: VbotOperation,
  code: string | undefined,
  run: (f: FieldsApi) => Promise<T>,
): Promise<Outcome<T>> {
  return api.call({ operation, typeNo: code, run: (client, key, signal) => run(new FieldsApi(client, key, signal)) });
}
