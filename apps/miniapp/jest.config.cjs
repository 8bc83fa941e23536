// Component and client tests in jsdom. Other suites under test/ (build.test.mjs, weapp-sim, h5) run on
// node:test and must never be collected here, hence the narrow testMatch.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  testMatch: ['<rootDir>/src/**/*.test.tsx', '<rootDir>/test/jest/**/*.test.tsx'],
  setupFilesAfterEnv: ['<rootDir>/test/jest/setup.ts'],
  transform: {
    '^.+\\.(ts|tsx|js|jsx|mjs)$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2021',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // Taro's component packages ship ESM only, and so do what they import (Stencil, swiper, a bundled tslib);
  // everything else in node_modules is CommonJS already. With pnpm every path starts node_modules/.pnpm/.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm|@tarojs|@stencil|swiper|tslib)/)'],
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/jest/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/jest/components.ts',
    // The TS source, so tests never run against a stale dist; its relative imports end in .js (see below).
    '^@qmfz/contracts$': '<rootDir>/../../packages/contracts/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '\\.(css|scss|less)$': '<rootDir>/test/jest/empty-module.ts',
  },
  moduleFileExtensions: ['tsx', 'ts', 'jsx', 'js', 'mjs', 'cjs', 'json'],
  clearMocks: true,
  restoreMocks: true,
}
