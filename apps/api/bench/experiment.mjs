// Builds an experimental copy of the API's dist/ with some proposed optimisations applied, so their effect can be
// measured before anyone changes src/:
//
//   node bench/experiment.mjs prepared-sql crypto-key     → bench/.variants/prepared-sql+crypto-key/dist/main.js
//   node bench/run.mjs --api-entry bench/.variants/prepared-sql+crypto-key/dist/main.js
//
// The patches edit compiled JavaScript by exact text, so they fit the commit they were written for and fail loudly
// (rather than measure something else) once src/ has moved on. Variants:
//   prepared-sql  the hot repository methods (guard, /me, invite insert) let TypeORM build their SQL once, then run it
//                 through dataSource.query and hydrate the columns directly: no query builder per request.
//   crypto-key    the access-token secret is imported as a WebCrypto CryptoKey once, not by jose on every verify.
//   pooled-ulid   ULIDs (every id and every request id) draw their randomness from a refilled 4 KiB pool instead of
//                 one crypto.getRandomValues call per character (ulid's default).
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const API_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const PREPARED_JS = `// Experimental (bench/experiment.mjs): SQL built once by TypeORM, then run directly.
const SENTINEL = '\\u0000param:';

function connectionOf(repository) {
  return repository.manager.dataSource ?? repository.manager.connection;
}

/** A select whose SQL TypeORM builds on first use; later calls only bind values. Returns the raw rows. */
export function preparedRaw(repository, names, build) {
  let plan;
  return async (...values) => {
    const dataSource = connectionOf(repository);
    if (!plan) {
      const [sql, params] = build(Object.fromEntries(names.map((n) => [n, SENTINEL + n]))).getQueryAndParameters();
      plan = { sql, slots: params.map((p) => (typeof p === 'string' && p.startsWith(SENTINEL) ? names.indexOf(p.slice(SENTINEL.length)) : { constant: p })) };
    }
    return dataSource.query(plan.sql, plan.slots.map((s) => (typeof s === 'number' ? values[s] : s.constant)));
  };
}

/** Entity columns of one alias in a raw row, converted as TypeORM would (dates, etc.). */
export function hydrator(repository, alias) {
  let columns;
  return (row) => {
    const dataSource = connectionOf(repository);
    columns ??= repository.metadata.columns.map((c) => [c.propertyName, alias + '_' + c.databaseName, c]);
    const entity = {};
    for (const [property, key, column] of columns) entity[property] = dataSource.driver.prepareHydratedValue(row[key], column);
    return entity;
  };
}

/** One-row lookup by equality on the given properties, with the same columns findOneBy selects. */
export function preparedFindOne(repository, properties) {
  const alias = repository.metadata.targetName;
  const run = preparedRaw(repository, properties, (p) => {
    const qb = repository.createQueryBuilder(alias);
    properties.forEach((name, i) => qb[i === 0 ? 'where' : 'andWhere'](alias + '.' + name + ' = :' + name, { [name]: p[name] }));
    return qb.limit(1);
  });
  const hydrate = hydrator(repository, alias);
  return async (...values) => {
    const [row] = await run(...values);
    return row ? hydrate(row) : null;
  };
}

/** INSERT of every column, SQL built once, values converted per column as TypeORM's insert does. */
export function preparedInsert(repository) {
  let plan;
  return async (entity) => {
    const dataSource = connectionOf(repository);
    if (!plan) {
      const { columns, tablePath } = repository.metadata;
      const escape = (name) => dataSource.driver.escape(name);
      plan = {
        columns,
        sql: 'INSERT INTO ' + escape(tablePath) + '(' + columns.map((c) => escape(c.databaseName)).join(', ') + ') VALUES (' + columns.map(() => '?').join(', ') + ')',
      };
    }
    await dataSource.query(plan.sql, plan.columns.map((c) => dataSource.driver.preparePersistentValue(entity[c.propertyName], c)));
  };
}
`;

const VARIANTS = {
  'prepared-sql': [
    { file: 'database/prepared.js', create: PREPARED_JS },
    {
      file: 'org/memberships.repository.js',
      replace: [
        [
          `import { MembershipEntity, UnitEntity, UserEntity } from '../database/entities/index.js';`,
          `import { MembershipEntity, UnitEntity, UserEntity } from '../database/entities/index.js';\nimport { hydrator, preparedRaw } from '../database/prepared.js';`,
        ],
        [
          `    async findActiveForActor(userId, townshipId) {\n        return this.memberships`,
          `    async findActiveForActor(userId, townshipId) {\n        this.activeQuery ??= preparedRaw(this.memberships, ['userId', 'townshipId'], (p) => this.memberships\n            .createQueryBuilder('m')\n            .innerJoin(UnitEntity, 'u', 'u.id = m.unit_id')\n            .select(['m.unit_id AS unitId', 'u.kind AS unitKind', 'm.role AS role'])\n            .where('m.user_id = :userId AND m.status = :status AND m.township_id = :townshipId', { ...p, status: MembershipStatus.ACTIVE }));\n        return this.activeQuery(userId, townshipId);\n    }\n    async findActiveForActorViaBuilder(userId, townshipId) {\n        return this.memberships`,
        ],
        [
          `    async findAllForUser(userId, townshipId) {\n        const rows = await this.memberships`,
          `    async findAllForUser(userId, townshipId) {\n        this.allQuery ??= preparedRaw(this.memberships, ['userId', 'townshipId'], (p) => this.memberships\n            .createQueryBuilder('m')\n            .innerJoin(UnitEntity, 'u', 'u.id = m.unit_id')\n            .addSelect(['u.name', 'u.kind'])\n            .where('m.user_id = :userId AND m.township_id = :townshipId', p)\n            .orderBy('m.id', 'ASC'));\n        this.hydrateMembership ??= hydrator(this.memberships, 'm');\n        return (await this.allQuery(userId, townshipId)).map((row) => Object.assign(this.hydrateMembership(row), { unitName: row.u_name, unitKind: row.u_kind }));\n    }\n    async findAllForUserViaBuilder(userId, townshipId) {\n        const rows = await this.memberships`,
        ],
      ],
    },
    ...[
      ['users/users.repository.js', 'users', 'findById(id) {\n        return this.users.findOneBy({ id });', ['id']],
      ['org/townships.repository.js', 'townships', 'findById(id) {\n        return this.townships.findOneBy({ id });', ['id']],
      ['org/units.repository.js', 'units', 'findInTownship(townshipId, id) {\n        return this.units.findOneBy({ townshipId, id });', ['townshipId', 'id']],
    ].map(([file, field, method, properties]) => ({
      file,
      replace: [
        [`import { DataSource`, `import { preparedFindOne } from '../database/prepared.js';\nimport { DataSource`],
        [
          method,
          `${method.split(' {')[0]} {\n        this.findOnePrepared ??= preparedFindOne(this.${field}, ${JSON.stringify(properties)});\n        return this.findOnePrepared(${properties.join(', ')});`,
        ],
      ],
    })),
    {
      file: 'org/invites.repository.js',
      replace: [
        [`import { DataSource`, `import { preparedInsert } from '../database/prepared.js';\nimport { DataSource`],
        [`    async insert(invite) {\n        await this.invites.insert(invite);`, `    async insert(invite) {\n        this.insertPrepared ??= preparedInsert(this.invites);\n        await this.insertPrepared(invite);`],
      ],
    },
  ],
  'pooled-ulid': [
    {
      file: 'common/ids.js',
      replace: [
        [
          `const next = monotonicFactory();`,
          `import { randomFillSync } from 'node:crypto';\nconst pool = new Uint8Array(4096);\nlet used = pool.length;\nconst next = monotonicFactory(() => {\n    if (used === pool.length) {\n        randomFillSync(pool);\n        used = 0;\n    }\n    return pool[used++] / 256;\n});`,
        ],
      ],
    },
  ],
  'crypto-key': [
    {
      file: 'auth/token.service.js',
      replace: [
        [
          `await jwtVerify(token, this.secret, {`,
          `await jwtVerify(token, (this.verifyKey ??= await crypto.subtle.importKey('raw', this.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])), {`,
        ],
      ],
    },
  ],
};

const names = process.argv.slice(2);
if (!names.length || names.some((n) => !VARIANTS[n])) {
  console.error(`usage: node bench/experiment.mjs ${Object.keys(VARIANTS).join(' | ')} [...]`);
  process.exit(2);
}
const target = join(API_DIR, 'bench', '.variants', names.join('+'));
rmSync(target, { recursive: true, force: true });
if (!existsSync(join(API_DIR, 'dist', 'main.js'))) throw new Error('build the API first (dist/main.js is missing)');
cpSync(join(API_DIR, 'dist'), join(target, 'dist'), { recursive: true });
for (const name of names) {
  for (const patch of VARIANTS[name]) {
    const file = join(target, 'dist', patch.file);
    if (patch.create) {
      writeFileSync(file, patch.create);
      continue;
    }
    let text = readFileSync(file, 'utf8');
    for (const [from, to] of patch.replace) {
      if (!text.includes(from)) throw new Error(`${name}: ${patch.file} no longer contains:\n${from}\n(src/ has changed since this experiment was written)`);
      text = text.replace(from, to);
    }
    writeFileSync(file, text);
  }
}
console.log(join('bench', '.variants', names.join('+'), 'dist', 'main.js'));
