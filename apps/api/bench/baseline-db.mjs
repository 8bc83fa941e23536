// The baseline's data access: the statements the API's repositories send, copied verbatim from TypeORM's query log
// (identifier quoting differs by dialect, the text is otherwise identical), run straight on the driver.
import Database from 'better-sqlite3';
import { createPool } from 'mysql2/promise';

/** The SQL text TypeORM generates, for one identifier quote character. */
function statements(q) {
  const id = (...parts) => parts.map((p) => q + p + q).join('.');
  const userCols = ['id', 'township_id', 'openid', 'unionid', 'dev_key', 'display_name', 'phone_cipher', 'phone_index', 'phone_masked', 'created_at', 'updated_at'];
  const townshipCols = ['id', 'code', 'name', 'created_at'];
  const unitCols = ['id', 'township_id', 'name', 'kind', 'created_at', 'updated_at'];
  const membershipCols = ['id', 'township_id', 'unit_id', 'user_id', 'role', 'status', 'created_at', 'decided_at', 'decided_by'];
  const entitySelect = (alias, table, cols) =>
    `SELECT ${cols.map((c) => `${id(alias, c)} AS ${id(`${alias}_${c}`)}`).join(', ')} FROM ${id(table)} ${id(alias)}`;
  return {
    // MembershipsRepository.findActiveForActor (the guard, every authenticated request)
    activeMemberships:
      `SELECT ${id('m', 'unit_id')} AS unitId, ${id('u', 'kind')} AS unitKind, ${id('m', 'role')} AS role ` +
      `FROM ${id('memberships')} ${id('m')} INNER JOIN ${id('units')} ${id('u')} ON ${id('u', 'id')} = ${id('m', 'unit_id')} ` +
      `WHERE ${id('m', 'user_id')} = ? AND ${id('m', 'status')} = ? AND ${id('m', 'township_id')} = ?`,
    // UsersRepository.findById
    userById: `${entitySelect('UserEntity', 'users', userCols)} WHERE ((${id('UserEntity', 'id')} = ?)) LIMIT 1`,
    // TownshipsRepository.findById
    townshipById: `${entitySelect('TownshipEntity', 'townships', townshipCols)} WHERE ((${id('TownshipEntity', 'id')} = ?)) LIMIT 1`,
    // UnitsRepository.findInTownship
    unitInTownship: `${entitySelect('UnitEntity', 'units', unitCols)} WHERE ((${id('UnitEntity', 'township_id')} = ?) AND (${id('UnitEntity', 'id')} = ?)) LIMIT 1`,
    // MembershipsRepository.findAllForUser
    membershipsWithUnits:
      `SELECT ${membershipCols.map((c) => `${id('m', c)} AS ${id(`m_${c}`)}`).join(', ')}, ` +
      `${id('u', 'name')} AS ${id('u_name')}, ${id('u', 'kind')} AS ${id('u_kind')}, ${id('u', 'id')} AS ${id('u_id')} ` +
      `FROM ${id('memberships')} ${id('m')} INNER JOIN ${id('units')} ${id('u')} ON ${id('u', 'id')} = ${id('m', 'unit_id')} ` +
      `WHERE ${id('m', 'user_id')} = ? AND ${id('m', 'township_id')} = ? ORDER BY ${id('m', 'id')} ASC`,
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

/** Rows keyed by the entity alias, mapped to the fields the handlers read. */
const mapUser = (row, prefix, date) =>
  row && { id: row[`${prefix}_id`], displayName: row[`${prefix}_display_name`], phoneMasked: row[`${prefix}_phone_masked`], createdAt: date(row[`${prefix}_created_at`]) };
const mapTownship = (row, prefix) => row && { id: row[`${prefix}_id`], code: row[`${prefix}_code`], name: row[`${prefix}_name`] };
const mapUnit = (row, prefix) => row && { id: row[`${prefix}_id`], townshipId: row[`${prefix}_township_id`], kind: row[`${prefix}_kind`] };
const mapMembership = (row, date) => ({
  id: row.m_id,
  unitId: row.m_unit_id,
  unitName: row.u_name,
  unitKind: row.u_kind,
  role: row.m_role,
  status: row.m_status,
  createdAt: date(row.m_created_at),
});

/** SQLite stores `YYYY-MM-DD HH:MM:SS.SSS` in UTC, as TypeORM writes and reads it. */
const sqliteDate = (value) => new Date(value.replace(' ', 'T') + 'Z');
const pad = (n, width = 2) => String(n).padStart(width, '0');
const sqliteTime = (d) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;

function openSqlite(path) {
  const db = new Database(path);
  // The pragmas the API's data source sets on open.
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const sql = statements('"');
  const stmt = Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, db.prepare(text)]));
  return {
    kind: 'better-sqlite3',
    async activeMemberships(userId, townshipId) {
      return stmt.activeMemberships.all(userId, 'active', townshipId);
    },
    async userById(id) {
      return mapUser(stmt.userById.get(id), 'UserEntity', sqliteDate);
    },
    async townshipById(id) {
      return mapTownship(stmt.townshipById.get(id), 'TownshipEntity');
    },
    async unitInTownship(townshipId, id) {
      return mapUnit(stmt.unitInTownship.get(townshipId, id), 'UnitEntity');
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
  const pool = createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
    bigNumberStrings: true,
    stringifyObjects: true,
    connectionLimit: 20,
    enableKeepAlive: true,
  });
  pool.pool.on('connection', (connection) => connection.query("SET time_zone = '+00:00'"));
  const sql = statements('`');
  // TypeORM's mysql driver sends text-protocol queries (client-side placeholders), not prepared statements.
  const rows = async (text, params) => (await pool.query(text, params))[0];
  const date = (value) => value;
  await rows('SELECT 1');
  return {
    kind: 'mysql2',
    activeMemberships: (userId, townshipId) => rows(sql.activeMemberships, [userId, 'active', townshipId]),
    async userById(id) {
      return mapUser((await rows(sql.userById, [id]))[0], 'UserEntity', date);
    },
    async townshipById(id) {
      return mapTownship((await rows(sql.townshipById, [id]))[0], 'TownshipEntity');
    },
    async unitInTownship(townshipId, id) {
      return mapUnit((await rows(sql.unitInTownship, [townshipId, id]))[0], 'UnitEntity');
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
