// Jest 30 in ESM mode (NODE_OPTIONS=--experimental-vm-modules) with SWC for decorators and metadata.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
    target: 'es2022',
  },
  module: { type: 'es6' },
  sourceMaps: 'inline',
};

import { CJS_CACHE, ESM_ONLY } from './test/support/cjs-interop.js';

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@qmfz/contracts$': '<rootDir>/../../packages/contracts/src/index.ts',
    ...Object.fromEntries(ESM_ONLY.map((name) => [`^${name}$`, `${CJS_CACHE}${name}.cjs`])),
  },
};

export default {
  globalSetup: './test/support/cjs-interop.js',
  // Read from the global config only (a project's own testTimeout is ignored): e2e files start an app on a fresh
  // MariaDB schema and some wait real seconds for the server's clock.
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
