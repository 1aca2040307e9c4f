// Steps of a UI test: each is one test; the first failure stops the chain (later steps build on
// earlier ones) and counts the rest as failed; a failing step leaves a screenshot and the
// extension's log next to the other PNGs; the counts go to $VBOT_RESULT_FILE for scripts/test.sh.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { hostDescription } from '../harness/codeServer';
import { screenshot } from '../harness/workbench';

export type Step = [title: string, run: () => Promise<void>];

export class UiSteps {
  page: Page | undefined;
  private readonly results = { passed: 0, failed: 0, failures: [] as Array<{ title: string; error: string }> };

  constructor(private readonly shots: string) {
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
  }

  async run(steps: Step[]): Promise<void> {
    console.log(`  on ${hostDescription()}`);
    for (const [title, fn] of steps) {
      if (!(await this.step(title, fn))) break;
    }
    const skipped = steps.length - this.results.passed - this.results.failed;
    if (skipped > 0) {
      this.results.failed += skipped;
      console.log(`  (${skipped} later step(s) not run after the failure, counted as failed)`);
    }
  }

  expect(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  }

  startFailed(e: unknown): void {
    this.results.failed++;
    this.results.failures.push({ title: 'start the workbench', error: String(e) });
    console.error('UI tests could not start:', e);
  }

  /** Keeps the extension's own log next to the screenshots, for whoever reads a failure. */
  saveExtensionLog(userDataDir: string): void {
    try {
      const logs = join(userDataDir, 'logs');
      const found = readdirSync(logs, { recursive: true })
        .map(String)
        .find((f) => f.endsWith(join('vbotcrm.vbot-crm', 'VBot CRM.log')));
      if (found) copyFileSync(join(logs, found), join(this.shots, 'extension.log'));
    } catch {
      // no log yet: nothing to keep
    }
  }

  finish(label: string): void {
    const host = hostDescription();
    console.log(`${label}: ${this.results.passed} passed, ${this.results.failed} failed on ${host}; screenshots in ${this.shots}`);
    if (process.env.VBOT_RESULT_FILE) writeFileSync(process.env.VBOT_RESULT_FILE, JSON.stringify({ ...this.results, host }, null, 2));
    process.exitCode = this.results.failed ? 1 : 0;
  }

  private async step(title: string, fn: () => Promise<void>): Promise<boolean> {
    const t0 = Date.now();
    try {
      await fn();
      this.results.passed++;
      console.log(`  ✔ ${title} (${Date.now() - t0} ms)`);
      return true;
    } catch (e) {
      this.results.failed++;
      const error = e instanceof Error ? e.message : String(e);
      this.results.failures.push({ title, error });
      // The first lines hold Playwright's call log (which locator, what it saw): enough to read a CI failure.
      console.log(
        `  ✘ ${title}\n${error
          .split('\n')
          .slice(0, 8)
          .map((l) => `      ${l}`)
          .join('\n')}`,
      );
      if (this.page) await screenshot(this.page, this.shots, `failed-${title.replace(/\W+/g, '-')}`).catch(() => undefined);
      return false;
    }
  }
}
