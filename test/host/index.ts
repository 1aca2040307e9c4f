// Mocha entry for the extension-host suites (the `extensionTestsPath` VS Code loads and calls run() on).
//
// Why it looks like this: esbuild bundles this file and every test/host/*.test.ts side by side into
// out/test/host/, with mocha left external, so the suites are found by listing our own folder at
// run time rather than by a glob baked in at build time. Mocha's reporter writes through
// console.log, which the workbench forwards to the harness in test mode; the harness can't see
// mocha's counts any other way, so they also go to the JSON file named by VBOT_TEST_RESULT.
// A rejected promise makes VS Code call codeAutomationExit(1).
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HostTestResult {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

export function run(): Promise<void> {
  const grep = process.env.VBOT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }

  return new Promise<void>((resolve, reject) => {
    const result: HostTestResult = { passed: 0, failed: 0, pending: 0, failures: [] };
    const report = () => {
      const outFile = process.env.VBOT_TEST_RESULT;
      if (outFile) writeFileSync(outFile, JSON.stringify(result, null, 2));
    };
    let runner: Mocha.Runner;
    try {
      runner = mocha.run(() => {
        report();
        if (result.failed > 0) reject(new Error(`${result.failed} test(s) failed`));
        else resolve();
      });
    } catch (e) {
      // A suite that does not even load (syntax error, bad import) counts as one failure.
      result.failed = 1;
      result.failures.push({ title: 'loading test files', error: (e as Error)?.stack ?? String(e) });
      report();
      reject(e);
      return;
    }
    runner.on('pass', () => {
      result.passed++;
    });
    runner.on('pending', () => {
      result.pending++;
    });
    // Also fires for failing hooks, which mocha counts as failures too.
    runner.on('fail', (test, err: Error) => {
      result.failed++;
      result.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
    });
  });
}
