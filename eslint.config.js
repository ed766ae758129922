// ESLint (flat config) with typescript-eslint's type information: a deliberately small rule set, each rule there
// because it would have caught a real defect (issue 8): an un-awaited promise (errors lost, order broken),
// process.exit() cutting piped output (item 19), and `key in obj` on user-named keys (item 12: `scale constructor=1`).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'fixtures/**', 'bin/**', 'test/**'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `void promise` marks a deliberate fire-and-forget; anything else must be awaited, returned or caught.
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-properties': ['error', {
        object: 'process', property: 'exit',
        message: 'process.exit() ends the process before stdout drains; set process.exitCode and let it end',
      }],
      // `key in obj` with a computed key: a user's name ('constructor', 'toString') is found on every object. A literal
      // key ('status' in result) is the author's own name, used to narrow a union, and stays allowed.
      'no-restricted-syntax': ['error', {
        selector: "BinaryExpression[operator='in'][left.type!='Literal']",
        message: "`key in obj` also finds inherited names ('constructor' in {} is true): use a Map or Object.hasOwn(obj, key)",
      }],
    },
  },
);
