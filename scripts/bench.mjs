// `npm run bench`: build the contracts and the API, then measure the API against a bare node:http + driver baseline
// on SQLite and on MariaDB (apps/api/bench/run.mjs; method and figures in docs/performance.md).
// Extra arguments go to every run, e.g. `npm run bench -- --duration 10 --rounds 3` or `-- --only read`.
// BENCH_DB=sqlite or BENCH_DB=mariadb measures one driver only.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureMariadb, install, log, pnpm, ROOT, run } from './lib.mjs';

const api = resolve(ROOT, 'apps/api');
const passThrough = process.argv.slice(2);
const drivers = process.env.BENCH_DB ? [process.env.BENCH_DB] : ['sqlite', 'mariadb'];

// Install only on a fresh clone: an install while others use the tree would swap node_modules under them.
if (!existsSync(resolve(api, 'node_modules/autocannon'))) await install();
log('Building contracts and the API');
await pnpm(['--filter', '@qmfz/contracts', 'build']);
await pnpm(['--filter', '@qmfz/api', 'build']);
if (drivers.includes('mariadb')) await ensureMariadb();

const reports = mkdtempSync(join(tmpdir(), 'qmfz-bench-reports-'));
const failures = [];
for (const db of drivers) {
  log(`Benchmark on ${db}`);
  try {
    await run('node', ['bench/run.mjs', '--db', db, '--json', join(reports, `${db}.json`), ...passThrough], { cwd: api });
  } catch (error) {
    failures.push(`${db}: ${error.message}`);
  }
}

const rows = drivers.flatMap((db) => {
  const file = join(reports, `${db}.json`);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).rows : [];
});
rmSync(reports, { recursive: true, force: true });
if (rows.length) {
  log('Summary (API ÷ bare node:http baseline doing the same database work; target ≥ 50 %)');
  for (const r of rows) {
    console.log(
      `  ${r.scenario.padEnd(34)} ${r.driver.padEnd(24)} ${r.api.rps.toFixed(0).padStart(6)} req/s p99 ${r.api.p99.toFixed(0).padStart(3)} ms` +
        `  vs ${r.baseline.rps.toFixed(0).padStart(6)} req/s p99 ${r.baseline.p99.toFixed(0).padStart(3)} ms  → ${(r.ratio * 100).toFixed(0).padStart(3)} %` +
        `  (CPU per request ${(r.cpuRatio * 100).toFixed(0)} %)`,
    );
  }
}
if (failures.length) {
  console.error(`\nBenchmark errors:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
