// `npm test`: install everything, then run every test tier; the last line sums them up as "N passed, N failed".
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureChromium, ensureMariadb, ensureRedis, install, log, pnpm, ROOT } from './lib.mjs';

const ARTIFACTS = resolve(ROOT, 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });
const JEST_ENV = { NODE_OPTIONS: '--experimental-vm-modules', CI: process.env.CI ?? 'true' };

/** A Jest tier: its counts come from Jest's JSON report. */
function jestTier(name, pkg, args, env = {}) {
  const slug = name.replace(/\W+/g, '-');
  const report = resolve(ARTIFACTS, `jest-${slug}.json`);
  return {
    name,
    report,
    run: () => pnpm(['--filter', pkg, 'exec', 'jest', ...args, '--json', `--outputFile=${report}`], { env: { ...JEST_ENV, ...env } }),
  };
}

const apiJest = (name, project, env) => jestTier(name, '@qmfz/api', ['--selectProjects', project, '--runInBand'], env);

/**
 * node:test files of the mini-program: counts from a TAP file, progress to stdout. Files are named one by one:
 * Node 21+ reads a directory argument as a glob pattern.
 */
function miniappNodeTest(name, files) {
  const report = resolve(ARTIFACTS, `${name.replace(/\W+/g, '-')}.tap`);
  return {
    name,
    report,
    run: () =>
      pnpm(['--filter', '@qmfz/miniapp', 'exec', 'node', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
        '--test-reporter=tap', `--test-reporter-destination=${report}`, ...[files].flat()]),
  };
}

const tiers = [
  apiJest('api unit', 'unit'),
  apiJest('api e2e on SQLite', 'e2e', { TEST_DB: 'sqlite' }),
  apiJest('api e2e on MariaDB', 'e2e', { TEST_DB: 'mariadb' }),
  // The build tier makes dist/weapp, dist/h5 and dist/h5-demo; the tiers after it test those very files.
  miniappNodeTest('miniapp builds', 'test/build.test.mjs'),
  jestTier('miniapp components', '@qmfz/miniapp', ['--ci']),
  miniappNodeTest('weapp in the simulator', ['test/weapp-sim/harness.test.mjs', 'test/weapp-sim/pages.test.mjs', 'test/weapp-sim/mine.test.mjs', 'test/weapp-sim/video.test.mjs', 'test/weapp-sim/tips.test.mjs']),
  miniappNodeTest('h5 in Chromium', ['test/h5/resident.test.mjs', 'test/h5/admin.test.mjs', 'test/h5/video.test.mjs', 'test/h5/tips.test.mjs']),
];

await install();
await ensureMariadb();
await ensureRedis();
await ensureChromium();
log('Building contracts and the API; type-checking the API and its tests');
await pnpm(['--filter', '@qmfz/contracts', 'build']);
await pnpm(['--filter', '@qmfz/api', 'build']);
await pnpm(['--filter', '@qmfz/api', 'exec', 'tsc', '-p', 'tsconfig.json']);

let passed = 0;
let failed = 0;
const failures = [];
for (const tier of tiers) {
  log(`Test tier: ${tier.name}`);
  rmSync(tier.report, { force: true }); // a report left by an earlier run must not count for this one
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
