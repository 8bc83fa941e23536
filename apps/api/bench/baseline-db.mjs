// The baseline's data access: the statements the API's repositories send, copied verbatim, run straight on the driver.
import { createApiPool, openApiSqlite, sqliteDate, sqliteTime } from './api-drivers.mjs';

/**
 * The SQL the API sends: its per-request reads are plain SQL in its repositories (src/database/plain-sql.ts),
 * copied here verbatim; the insert is TypeORM's `Repository.insert` text from its query log.
 */
function statements(q) {
  const id = (...parts) => parts.map((p) => q + p + q).join('.');
  return {
    // MembershipsRepository.findActiveForActor (the guard, every authenticated request)
    activeMemberships:
      'SELECT m.unit_id, u.kind, m.role FROM memberships m INNER JOIN units u ON u.id = m.unit_id ' +
      'WHERE m.user_id = ? AND m.status = ? AND m.township_id = ?',
    // UsersRepository.findById
    userById:
      'SELECT id, township_id, openid, unionid, dev_key, display_name, phone_cipher, phone_index, phone_masked, created_at, updated_at ' +
      'FROM users WHERE id = ? LIMIT 1',
    // TownshipsRepository.findById
    townshipById: 'SELECT id, code, name, created_at FROM townships WHERE id = ? LIMIT 1',
    // UnitsRepository.findInTownship
    unitInTownship: 'SELECT id, township_id, name, kind, created_at, updated_at FROM units WHERE township_id = ? AND id = ? LIMIT 1',
    // MembershipsRepository.findAllForUser
    membershipsWithUnits:
      'SELECT m.id, m.township_id, m.unit_id, m.user_id, m.role, m.status, m.created_at, m.decided_at, m.decided_by, ' +
      'u.name AS unit_name, u.kind AS unit_kind FROM memberships m INNER JOIN units u ON u.id = m.unit_id ' +
      'WHERE m.user_id = ? AND m.township_id = ? ORDER BY m.id ASC',
    // Repository.insert(InviteCodeEntity)
    insertInvite:
      `INSERT INTO ${id('invite_codes')}(${['id', 'township_id', 'unit_id', 'code', 'role', 'expires_at', 'revoked_at', 'created_by', 'created_at'].map((c) => id(c)).join(', ')}) ` +
      `VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  };
}

const inviteParams = (invite, time) => [
  invite.id,
  invite.townshipId,
  invite.unitId,
  invite.code,
  invite.role,
  time(invite.expiresAt),
  invite.revokedAt === null ? null : time(invite.revokedAt),
  invite.createdBy,
  time(invite.createdAt),
];

/** Rows mapped to the fields the handlers read, as the API's repositories map them. */
const mapActive = (row) => ({ unitId: row.unit_id, unitKind: row.kind, role: row.role });
const mapUser = (row, date) =>
  row && { id: row.id, townshipId: row.township_id, displayName: row.display_name, phoneMasked: row.phone_masked, createdAt: date(row.created_at) };
const mapTownship = (row) => row && { id: row.id, code: row.code, name: row.name };
const mapUnit = (row) => row && { id: row.id, townshipId: row.township_id, kind: row.kind };
const mapMembership = (row, date) => ({
  id: row.id,
  unitId: row.unit_id,
  unitName: row.unit_name,
  unitKind: row.unit_kind,
  role: row.role,
  status: row.status,
  createdAt: date(row.created_at),
});


function openSqlite(path) {
  const db = openApiSqlite(path);
  const sql = statements('"');
  const stmt = Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]));
  return {
    kind: 'better-sqlite3',
    async activeMemberships(userId, townshipId) {
      return stmt.activeMemberships.all(userId, 'active', townshipId).map(mapActive);
    },
    async userById(id) {
      return mapUser(stmt.userById.get(id), sqliteDate);
    },
    async townshipById(id) {
      return mapTownship(stmt.townshipById.get(id));
    },
    async unitInTownship(townshipId, id) {
      return mapUnit(stmt.unitInTownship.get(townshipId, id));
    },
    async membershipsWithUnits(userId, townshipId) {
      return stmt.membershipsWithUnits.all(userId, townshipId).map((row) => mapMembership(row, sqliteDate));
    },
    async insertInvite(invite) {
      stmt.insertInvite.run(...inviteParams(invite, sqliteTime));
    },
    isUniqueViolation: (error) => error?.code === 'SQLITE_CONSTRAINT_UNIQUE',
    async close() {
      db.close();
    },
  };
}

async function openMysql(url) {
  // The pool options the API's data source gives TypeORM's mysql driver.
  const pool = createApiPool(url);
  const sql = statements('`');
  // TypeORM's mysql driver sends text-protocol queries (client-side placeholders), not prepared statements.
  const rows = async (text, params) => (await pool.query(text, params))[0];
  const date = (value) => value;
  await rows('SELECT 1');
  return {
    kind: 'mysql2',
    activeMemberships: async (userId, townshipId) => (await rows(sql.activeMemberships, [userId, 'active', townshipId])).map(mapActive),
    async userById(id) {
      return mapUser((await rows(sql.userById, [id]))[0], date);
    },
    async townshipById(id) {
      return mapTownship((await rows(sql.townshipById, [id]))[0]);
    },
    async unitInTownship(townshipId, id) {
      return mapUnit((await rows(sql.unitInTownship, [townshipId, id]))[0]);
    },
    async membershipsWithUnits(userId, townshipId) {
      return (await rows(sql.membershipsWithUnits, [userId, townshipId])).map((row) => mapMembership(row, date));
    },
    async insertInvite(invite) {
      await rows(sql.insertInvite, inviteParams(invite, date));
    },
    isUniqueViolation: (error) => error?.code === 'ER_DUP_ENTRY',
    close: () => pool.end(),
  };
}

export function openDatabase(env) {
  if (env.DATABASE_URL) return openMysql(env.DATABASE_URL);
  if (!env.SQLITE_PATH) throw new Error('SQLITE_PATH or DATABASE_URL is required');
  return openSqlite(env.SQLITE_PATH);
}
