// An immutable picture of the cache at one moment: what the tree and the commands read.
import { type CachedProject, type CachedType, findProjectIndex, findType, type ProjectList } from './model';

export class CacheSnapshot {
  static readonly empty = new CacheSnapshot([]);

  constructor(private readonly projectList: ProjectList) {
    Object.freeze(projectList);
  }

  /** All projects, sorted by (vbotId, projectCode). */
  projects(): ProjectList {
    return this.projectList;
  }

  project(vbotId: string, projectCode: string): CachedProject | undefined {
    const index = findProjectIndex(this.projectList, { vbotId, projectCode });
    return index >= 0 ? this.projectList[index] : undefined;
  }

  findType(vbotId: string, projectCode: string, typeNo: string): CachedType | undefined {
    const project = this.project(vbotId, projectCode);
    return project && findType(project, typeNo);
  }

  typeCount(): number {
    let count = 0;
    for (const project of this.projectList) count += project.types.length;
    return count;
  }
}
