// ESLint (flat config): ESLint's and typescript-eslint's recommended rules; formatting is Prettier's
// (`npm run lint` runs both, `npm run format` fixes what they can). See CONTRIBUTING.md, "Lint and format".
// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Build output, downloaded VS Code builds, the benchmark's scratch folder and test screenshots.
  globalIgnores(['dist/', 'out/', '.vscode-host/', '.vscode-test/', 'bench/tmp/', 'test-results/']),

  // An eslint-disable comment that no longer disables anything fails the lint too.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    files: ['**/*.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // esbuild.mjs, this file: Node ES modules.
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
  {
    // The harness selfcheck's throw-away extension and its mocha suite: plain CommonJS, run in the extension host.
    files: ['**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.mocha }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  {
    rules: {
      // As `yo code`'s template: == only against null, and throw Errors (a test that throws something else on
      // purpose says so with an eslint-disable-next-line comment).
      eqeqeq: ['error', 'smart'],
      'no-throw-literal': 'error',
      // A `_` prefix marks a name that is unused on purpose (a parameter kept for its position, a property
      // taken out of a rest copy: `const { version: _version, ...rest } = file`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  {
    // The benchmark reads the JSON its child processes print, whose shape it checks by use: typing every
    // figure there would double bench/run.ts for no safety the extension gets.
    files: ['bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  // Last: turns off every rule that Prettier's formatting would fight (and max-len, enabled again below).
  prettier,
  {
    rules: {
      // Prettier keeps code within printWidth 140 wherever it can break a line, but it never rewraps comments
      // and cannot split a string: strings stay one literal (vscode.l10n.t and `npm run l10n` need the whole
      // message as one literal, and test titles and messages read better whole), so lines whose length comes
      // from a string, template literal, regular expression or URL are allowed; comments are not.
      // (max-len is deprecated in ESLint core, available until ESLint 11; then `@stylistic/max-len`, same options.)
      'max-len': [
        'error',
        {
          code: 140,
          tabWidth: 2,
          ignoreStrings: true,
          ignoreTemplateLiterals: true,
          ignoreRegExpLiterals: true,
          ignoreUrls: true,
        },
      ],
    },
  },
);
