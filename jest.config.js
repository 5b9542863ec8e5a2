const path = require('node:path');

/** One jest configuration for every workspace; ASL_TEST_KIND picks the kind of test (see below). */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];

const workspaces = ['chaincode', 'network', 'test-network', 'gateway', 'adapters', 'bench'];
const kind = process.env.ASL_TEST_KIND ?? 'unit';

/**
 * Test kinds, by file name:
 * - `*.test.ts`          unit and contract tests: no process outside jest, milliseconds each;
 * - `*.int.test.ts`      integration tests that start the real processes they need themselves (e.g. a Fabric CA);
 * - `*.net.test.ts`      integration tests against the running two-agency Fabric network;
 * - `*.browser.test.ts`  the web UI in headless Chromium;
 * - `*.restart.test.ts`  tests that stop and restart the whole running network (run after the net suites).
 */
const suffix = { unit: 'test', int: 'int.test', net: 'net.test', browser: 'browser.test', restart: 'restart.test' }[kind];
if (suffix === undefined) throw new Error(`unknown ASL_TEST_KIND ${kind}`);
const testMatch = [`<rootDir>/test/**/*.${suffix}.ts`];
const ignore =
  kind === 'unit' ? ['\\.(int|net|browser|restart)\\.test\\.ts$', '/node_modules/'] : ['/node_modules/'];

module.exports = {
  projects: workspaces.map((ws) => ({
    displayName: ws,
    rootDir: path.join(__dirname, ws),
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': swc },
    moduleNameMapper: {
      '^@asl/chaincode/domain$': '<rootDir>/../chaincode/src/domain/index.ts',
      '^@asl/chaincode/seed$': '<rootDir>/../chaincode/src/seed/value-list-seed.ts',
      '^@asl/network/connection$': '<rootDir>/../network/src/connection.ts',
      '^@asl/network/ledger-info$': '<rootDir>/../network/src/ledger-info.ts',
      '^@asl/network/layout$': '<rootDir>/../network/src/layout.ts',
      '^@asl/network/processes$': '<rootDir>/../network/src/processes.ts',
      '^@asl/network/policies$': '<rootDir>/../network/src/policies.ts',
    },
    testMatch,
    testPathIgnorePatterns: ignore,
  })),
};
