// `npm test`: install everything, then run every test tier; the last line sums them up as "N passed, N failed".
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureMariadb, ensureRedis, install, log, pnpm, ROOT } from './lib.mjs';

const ARTIFACTS = resolve(ROOT, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const JEST_ENV = { NODE_OPTIONS: '--experimental-vm-modules', CI: process.env.CI ?? 'true' };

/** A Jest tier of the API: its counts come from Jest's JSON report. */
function apiJest(name, project, env = {}) {
  const report = resolve(ARTIFACTS, `jest-${name}.json`);
  return {
    name,
    report,
    run: () =>
      pnpm(['--filter', '@qmfz/api', 'exec', 'jest', '--selectProjects', project, '--runInBand', '--json', `--outputFile=${report}`], {
        env: { ...JEST_ENV, ...env },
      }),
  };
}

const tiers = [
  apiJest('api unit', 'unit'),
  apiJest('api e2e on SQLite', 'e2e', { TEST_DB: 'sqlite' }),
  apiJest('api e2e on MariaDB', 'e2e', { TEST_DB: 'mariadb' }),
];
if (existsSync(resolve(ROOT, 'apps/miniapp/package.json'))) {
  const report = resolve(ARTIFACTS, 'miniapp.tap');
  tiers.push({
    name: 'miniapp builds',
    report,
    run: () =>
      pnpm(['--filter', '@qmfz/miniapp', 'exec', 'node', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${report}`, 'test/build.test.mjs']),
  });
}

await install();
await ensureMariadb();
await ensureRedis();
log('Building contracts and the API; type-checking the API and its tests');
await pnpm(['--filter', '@qmfz/contracts', 'build']);
await pnpm(['--filter', '@qmfz/api', 'build']);
await pnpm(['--filter', '@qmfz/api', 'exec', 'tsc', '-p', 'tsconfig.json']);

let passed = 0;
let failed = 0;
const failures = [];
for (const tier of tiers) {
  log(`Test tier: ${tier.name}`);
  try {
    await tier.run();
  } catch (error) {
    failures.push(`${tier.name}: ${error.message}`);
  }
  const counts = readCounts(tier.report);
  if (counts) {
    passed += counts.passed;
    failed += counts.failed;
    console.log(`  ${tier.name}: ${counts.passed} passed, ${counts.failed} failed`);
  }
}

/** Counts from a Jest JSON report or a node:test TAP file. */
function readCounts(file) {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.tap')) {
    const count = (name) => Number(text.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
    return { passed: count('pass'), failed: count('fail') + count('cancelled') };
  }
  const report = JSON.parse(text);
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) };
}

if (failures.length) console.log(`\nFailed tiers:\n  ${failures.join('\n  ')}`);
if (passed === 0 && failed === 0) failures.push('no test ran');
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);
