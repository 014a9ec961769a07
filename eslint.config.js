import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/out/', 'data/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['bin/*.js', 'eslint.config.js'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // The pure core may not reach the outside world: no Telegram, database, network or files.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['grammy', '@grammyjs/*', 'better-sqlite3', 'kysely', 'pg', 'node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:net', 'fs', 'http', 'https'], message: 'src/core is pure: adapters live outside it.' },
          { group: ['../../files/*', '../files/*', '../../cli/*', '../cli/*', '../i18n.js', '../../i18n.js'], message: 'src/core does not import adapters.' },
        ],
      }],
    },
  },
  {
    files: ['bench/**/*.ts', 'demo/**/*.ts', 'test/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly' } },
  },
);
