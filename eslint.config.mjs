// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Modules the pure domain core must never reach: Fabric, Node I/O, the clock's owners, randomness. */
const domainForbidden = [
  { group: ['fabric-*', '@hyperledger/*'], message: 'The domain core is pure: no Fabric.' },
  { group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'net', 'http', 'https', 'child_process', 'crypto', 'process', 'timers', 'worker_threads', 'stream'], message: 'The domain core is pure: no Node I/O.' },
  { group: ['../*'], message: 'The domain core imports only from itself.' },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '.asl/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['chaincode/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: domainForbidden }],
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Time is an argument of the domain core, never read from the clock.' },
        { name: 'process', message: 'The domain core reads no environment.' },
        { name: 'setTimeout', message: 'The domain core has no timers.' },
        { name: 'crypto', message: 'The domain core has no randomness.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'No randomness in the domain core.' }],
    },
  },
  {
    files: ['**/test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
