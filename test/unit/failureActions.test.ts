// Which actions a failure's notification offers (src/core/vbotError.ts failureActions, the choice
// src/vscode/apiRunner.ts makes for every failed API call), checked for every kind without VS Code.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failureActions, type VbotErrorKind } from '../../src/core/vbotError';

const EXPECTED: Record<VbotErrorKind, string[]> = {
  invalidInput: ['showLog'],
  invalidParams: ['showLog'],
  unauthorized: ['signIn', 'showLog'],
  authFailed: ['signIn', 'showLog'],
  forbidden: ['showLog'],
  notFound: ['showLog'],
  alreadyExists: ['showLog'],
  serverError: ['showLog'],
  apiError: ['showLog'],
  httpError: ['showLog'],
  badResponse: ['showLog'],
  network: ['openSettings', 'showLog'],
  timeout: ['showLog'],
  cancelled: [],
  badUrl: ['openSettings', 'showLog'],
  signedOut: ['signIn', 'showLog'],
  profileChanged: ['showLog'],
};

describe('failure notification actions (failureActions)', () => {
  it('a refused or missing sign-in offers Sign In; a bad URL or no connection the settings; all but a cancel the log', () => {
    for (const [kind, actions] of Object.entries(EXPECTED)) assert.deepEqual(failureActions(kind as VbotErrorKind), actions, kind);
  });
});
