// Starting a `vbot-types.json` from the local cache, so a team starts from what it has. Pure: no
// I/O, no vscode.

import type { CacheSnapshot } from '../cache/snapshot';
import { type FieldToWrite, fieldsLines } from './fieldsText';
import { DESIRED_STATE_VERSION } from './format';

/** A project as written: its types, and the choice lists of its customer fields when it has any (fieldsText.ts). */
export interface ProjectToWrite {
  vbotId: string;
  projectCode: string;
  types: ReadonlyArray<{ typeNo: string; typeName: string }>;
  fields?: ReadonlyArray<FieldToWrite>;
}

/**
 * A `vbot-types.json` text that describes what the cache holds (optionally one account or one
 * project), so a team starts from what it has: planning it against the same cache gives no items.
 * `fieldsOf`: a project's stored choice lists (API v3), written as its "fields" (planning them against the
 * same lists gives no items either). No `$schema`: the extension associates the schema with the file name.
 * No `deleteUnlisted`.
 */
export function desiredStateFromSnapshot(
  snapshot: CacheSnapshot,
  filter: { vbotId?: string; projectCode?: string } = {},
  fieldsOf: (vbotId: string, projectCode: string) => ReadonlyArray<FieldToWrite> | undefined = () => undefined,
): string {
  const projects = snapshot
    .projects()
    .filter((project) => filter.vbotId === undefined || project.vbotId === filter.vbotId)
    .filter((project) => filter.projectCode === undefined || project.projectCode === filter.projectCode)
    .map((project) => ({
      vbotId: project.vbotId,
      projectCode: project.projectCode,
      types: project.types,
      fields: fieldsOf(project.vbotId, project.projectCode),
    }));
  return desiredStateText(projects);
}

/** Projects (in the order given) as a `vbot-types.json` text, written as desiredStateFromSnapshot writes it. */
export function desiredStateText(projects: ReadonlyArray<ProjectToWrite>): string {
  // Pretty, but one type per line: a change to a type is a one-line diff in code review.
  const json = JSON.stringify;
  const lines = ['{', `  "version": ${DESIRED_STATE_VERSION},`];
  if (projects.length === 0) lines.push('  "projects": []');
  else {
    lines.push('  "projects": [');
    projects.forEach((project, index) => {
      lines.push('    {', `      "vbotId": ${json(project.vbotId)},`, `      "projectCode": ${json(project.projectCode)},`);
      if (project.types.length === 0) lines.push('      "types": []');
      else {
        lines.push('      "types": [');
        project.types.forEach((type, typeIndex) => {
          const comma = typeIndex < project.types.length - 1 ? ',' : '';
          lines.push(`        { "typeNo": ${json(type.typeNo)}, "typeName": ${json(type.typeName)} }${comma}`);
        });
        lines.push('      ]');
      }
      if (project.fields?.length) {
        lines[lines.length - 1] += ',';
        lines.push(...fieldsLines(project.fields, '      '));
      }
      lines.push(index < projects.length - 1 ? '    },' : '    }');
    });
    lines.push('  ]');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
