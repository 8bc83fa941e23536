import { SignJWT, jwtVerify } from 'jose';
import { openDatabase } from './baseline-db.mjs';
const secret = new TextEncoder().encode('x'.repeat(40));
const token = await new SignJWT({ tid: 't' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject('u').setIssuer('qmfz-api').setAudience('qmfz-access').setIssuedAt().setExpirationTime('1h').sign(secret);
async function time(name, n, fn) { for (let i = 0; i < n / 10; i++) await fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await fn(); console.log(name, (Number(process.hrtime.bigint() - t) / n / 1000).toFixed(1), 'µs'); }
await time('jwtVerify', 20000, () => jwtVerify(token, secret, { issuer: 'qmfz-api', audience: 'qmfz-access', algorithms: ['HS256'] }));
const db = await openDatabase(process.env);
const u = await db.userById('x');
const Database = (await import('better-sqlite3')).default;
const raw = new Database(process.env.SQLITE_PATH); const row = raw.prepare('select id, township_id from users limit 1 offset 3').get();
await time('activeMemberships', 20000, () => db.activeMemberships(row.id, row.township_id));
await time('userById', 20000, () => db.userById(row.id));
await time('townshipById', 20000, () => db.townshipById(row.township_id));
await time('membershipsWithUnits', 20000, () => db.membershipsWithUnits(row.id, row.township_id));
