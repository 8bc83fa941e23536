// Where a request's CPU goes, piece by piece, without HTTP: each hot step of the read and the write, once through
// the API's own built classes (dist/: repositories, TokenService) and once straight on the driver with the
// baseline's code. CPU time per call of this one process, so other load on the machine hardly moves it.
//
//   node bench/micro.mjs [--db sqlite|mariadb] [--iterations 5000]
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jwtVerify } from 'jose';
import { createConnection } from 'mysql2/promise';
import { openDatabase } from './baseline-db.mjs';

const { values: args } = parseArgs({
  options: { db: { type: 'string', default: process.env.BENCH_DB ?? 'sqlite' }, iterations: { type: 'string', default: '5000' } },
});
const N = Number(args.iterations);

const { loadConfig } = await import('../dist/config/config.js');
const { openDataSource } = await import('../dist/database/data-source.js');
const { seedDemo } = await import('../dist/seed/seed.js');
const { TokenService } = await import('../dist/auth/token.service.js');
const { MembershipsRepository } = await import('../dist/org/memberships.repository.js');
const { UsersRepository } = await import('../dist/users/users.repository.js');
const { TownshipsRepository } = await import('../dist/org/townships.repository.js');
const { UnitsRepository } = await import('../dist/org/units.repository.js');
const { InvitesRepository } = await import('../dist/org/invites.repository.js');
const { newId } = await import('../dist/common/ids.js');

let env;
let drop;
if (args.db === 'sqlite') {
  const dir = mkdtempSync(join(tmpdir(), 'qmfz-micro-'));
  env = { SQLITE_PATH: join(dir, 'micro.sqlite') };
  drop = async () => rmSync(dir, { recursive: true, force: true });
} else {
  const admin = new URL(process.env.BENCH_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306');
  const name = `qmfz_micro_${randomBytes(4).toString('hex')}`;
  const connection = await createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: admin.username, password: admin.password });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  admin.pathname = `/${name}`;
  env = { DATABASE_URL: admin.toString() };
  drop = async () => {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.end();
  };
}

const results = [];
async function measure(step, label, fn) {
  for (let i = 0; i < Math.max(200, N / 10); i++) await fn(i);
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn(i);
  const used = process.cpuUsage(cpu);
  results.push({ step, label, cpu: (used.user + used.system) / N, wall: Number(process.hrtime.bigint() - start) / 1000 / N });
}

try {
  const config = loadConfig({ APP_ENV: 'test', LOG_LEVEL: 'silent', JWT_SECRET: randomBytes(32).toString('hex'), ...env });
  const dataSource = await openDataSource(config.database);
  await dataSource.runMigrations({ transaction: 'each' });
  await seedDemo(dataSource);
  const raw = await openDatabase({ ...env, JWT_SECRET: config.auth.jwtSecret });

  const [unit] = await dataSource.query(args.db === 'sqlite' ? `SELECT id, township_id FROM units WHERE name = ?` : 'SELECT id, township_id FROM units WHERE name = ?', ['白土司法所']);
  const [member] = await dataSource.query('SELECT user_id FROM memberships WHERE unit_id = ? AND role = ?', [unit.id, 'unit_admin']);
  const userId = member.user_id;
  const townshipId = unit.township_id;

  const tokens = new TokenService(config);
  const token = await tokens.signAccess({ userId, townshipId });
  const secret = new TextEncoder().encode(config.auth.jwtSecret);
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const verifyOptions = { issuer: 'qmfz-api', audience: 'qmfz-access', algorithms: ['HS256'] };
  await measure('verify token', 'TokenService.verifyAccess (key imported once)', () => tokens.verifyAccess(token));
  await measure('verify token', 'jose jwtVerify alone, same key', () => jwtVerify(token, key, verifyOptions));

  const memberships = new MembershipsRepository(dataSource);
  const users = new UsersRepository(dataSource);
  const townships = new TownshipsRepository(dataSource);
  const units = new UnitsRepository(dataSource);
  const invites = new InvitesRepository(dataSource);

  await measure('guard: active memberships', 'repository, plain SQL (findActiveForActor)', () => memberships.findActiveForActor(userId, townshipId));
  await measure('guard: active memberships', 'driver, same SQL', () => raw.activeMemberships(userId, townshipId));
  await measure('me: user by id', 'repository, plain SQL (UsersRepository.findById)', () => users.findById(userId));
  await measure('me: user by id', 'driver, same SQL', () => raw.userById(userId));
  await measure('me: township by id', 'repository, plain SQL (TownshipsRepository.findById)', () => townships.findById(townshipId));
  await measure('me: township by id', 'driver, same SQL', () => raw.townshipById(townshipId));
  await measure('me: memberships with units', 'repository, plain SQL (findAllForUser)', () => memberships.findAllForUser(userId, townshipId));
  await measure('me: memberships with units', 'driver, same SQL', () => raw.membershipsWithUnits(userId, townshipId));
  await measure('invite: unit in township', 'repository, plain SQL (UnitsRepository.findInTownship)', () => units.findInTownship(townshipId, unit.id));
  await measure('invite: unit in township', 'driver, same SQL', () => raw.unitInTownship(townshipId, unit.id));
  const invite = (i) => {
    const now = new Date();
    return { id: newId(), townshipId, unitId: unit.id, code: `M${String(i).padStart(7, '0')}`, role: 'staff', expiresAt: now, revokedAt: null, createdBy: userId, createdAt: now };
  };
  let n = 0;
  await measure('invite: insert', 'TypeORM Repository.insert (InvitesRepository.insert)', () => invites.insert({ ...invite(n++), code: `T${String(n).padStart(7, '0')}` }));
  await measure('invite: insert', 'driver, same SQL', () => raw.insertInvite({ ...invite(n++), code: `R${String(n).padStart(7, '0')}` }));

  console.log(`micro: ${args.db}, node ${process.version}, ${N} sequential calls per line; CPU µs per call (wall µs in brackets)\n`);
  let last = '';
  for (const r of results) {
    const step = r.step === last ? '' : r.step;
    last = r.step;
    console.log(`${step.padEnd(28)} ${r.label.padEnd(52)} ${r.cpu.toFixed(1).padStart(7)} µs  (${r.wall.toFixed(1)})`);
  }
  await raw.close();
  await dataSource.destroy();
} finally {
  await drop();
}
