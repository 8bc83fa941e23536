import { documentedRoutes, isTipRoute, isViewingRoute } from './support/route-families.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MembershipStatus, Role, UnitKind, type ErrorCode } from '@qmfz/contracts';
import { newId } from '../src/common/ids.js';
import { InviteCodeEntity, MembershipEntity, RosterEntryEntity, UnitEntity } from '../src/database/entities/index.js';
import {
  buildDemoTownship,
  buildInvite,
  buildMembership,
  buildSignedInUser,
  buildTownship,
  multipartUpload,
  tokenFor,
  type BuiltTownship,
} from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { DB_TIER } from './test-db.js';

/**
 * Who may call what. Every route of the OpenAPI document needs a row here (the first test fails otherwise);
 * every private route is called without a token, with a forged one, by callers who may and by callers who
 * must be refused, including users of another township. Unit-scoped routes target 三塘村 of 白土乡.
 */

type Caller =
  | 'anonymous'
  | 'resident'
  | 'staff'
  | 'unitAdmin'
  | 'otherUnitAdmin'
  | 'police'
  | 'townshipAdmin'
  | 'otherTownshipAdmin'
  | 'otherTownshipResident';

const CALLER_LABELS: Record<Caller, string> = {
  anonymous: 'a caller without a token',
  resident: 'a resident',
  staff: 'staff of the unit',
  unitAdmin: 'the unit admin',
  otherUnitAdmin: 'the admin of another unit',
  police: 'a police officer',
  townshipAdmin: 'the township admin',
  otherTownshipAdmin: 'the admin of another township',
  otherTownshipResident: 'a resident of another township',
};

interface Fixture {
  t: TestApp;
  demo: BuiltTownship;
  other: BuiltTownship;
  santang: UnitEntity;
  tokens: Record<Exclude<Caller, 'anonymous'>, string>;
}

interface Prepared {
  url: string;
  body?: unknown;
  payload?: Buffer;
  headers?: Record<string, string>;
  /** Whatever the write check needs to know about this call's own data. */
  context?: Record<string, string | number>;
}

interface Case {
  as: Caller;
  status: number;
  code?: ErrorCode;
  check?: (response: TestResponse, f: Fixture) => void;
}

interface Row {
  public?: boolean;
  /** Builds a fresh request (with fresh data where the call consumes it) against the given unit. */
  prepare: (f: Fixture, unitId: string) => Promise<Prepared>;
  may: Case[];
  mustNot: Case[];
  /** For writes: whether this call changed anything. Must be true when allowed and false when refused. */
  wrote?: (f: Fixture, context: Prepared['context']) => Promise<boolean>;
}

const UNIT_ADMIN_ONLY_REFUSALS: Case[] = [
  { as: 'resident', status: 403, code: 'FORBIDDEN' },
  { as: 'staff', status: 403, code: 'FORBIDDEN' },
  { as: 'police', status: 403, code: 'FORBIDDEN' },
  { as: 'otherUnitAdmin', status: 403, code: 'FORBIDDEN' },
  { as: 'otherTownshipAdmin', status: 404, code: 'UNIT_NOT_FOUND' },
  { as: 'otherTownshipResident', status: 404, code: 'UNIT_NOT_FOUND' },
];

const unitAdminsMay = (status: number): Case[] => [
  { as: 'unitAdmin', status },
  { as: 'townshipAdmin', status },
];

let serial = 0;
const nextSerial = () => ++serial;
const count = (f: Fixture, entity: typeof InviteCodeEntity | typeof RosterEntryEntity | typeof UnitEntity, where: object) =>
  f.t.dataSource.getRepository(entity).countBy(where);

async function pendingMembership(f: Fixture): Promise<MembershipEntity> {
  const { user } = await buildSignedInUser(f.t, f.demo.township.id, { name: `申请人${nextSerial()}` });
  return buildMembership(f.t.dataSource, f.santang, user.id, { status: MembershipStatus.PENDING });
}

async function membershipDecided(f: Fixture, context: Prepared['context']): Promise<boolean> {
  const row = await f.t.dataSource.getRepository(MembershipEntity).findOneByOrFail({ id: String(context?.membershipId) });
  return row.status !== MembershipStatus.PENDING;
}

const MATRIX: Record<string, Row> = {
  // Public routes: only the auth boundary is asserted (their own behaviour has its own tests).
  'GET /api/health': { public: true, prepare: async () => ({ url: '/api/health' }), may: [{ as: 'anonymous', status: 200 }], mustNot: [] },
  'POST /api/auth/wechat': {
    public: true,
    // An empty body stops at validation (400), which proves the guard let it through without calling WeChat.
    prepare: async () => ({ url: '/api/auth/wechat', body: {} }),
    may: [{ as: 'anonymous', status: 400, code: 'VALIDATION_FAILED' }],
    mustNot: [],
  },
  'POST /api/auth/dev-login': {
    public: true,
    prepare: async () => ({ url: '/api/auth/dev-login', body: { name: '矩阵登录' } }),
    may: [{ as: 'anonymous', status: 200 }],
    mustNot: [],
  },
  'POST /api/auth/refresh': {
    public: true,
    prepare: async () => ({ url: '/api/auth/refresh', body: {} }),
    may: [{ as: 'anonymous', status: 400, code: 'VALIDATION_FAILED' }],
    mustNot: [],
  },
  'POST /api/auth/logout': {
    public: true,
    prepare: async () => ({ url: '/api/auth/logout', body: { refreshToken: 'not-a-real-token' } }),
    may: [{ as: 'anonymous', status: 204 }],
    mustNot: [],
  },

  // Signed-in routes of the auth module: any user; only the boundary is asserted.
  'POST /api/auth/phone': {
    // Validation answers 400 only after the guard accepted the token.
    prepare: async () => ({ url: '/api/auth/phone', body: {} }),
    may: [
      { as: 'resident', status: 400, code: 'VALIDATION_FAILED' },
      { as: 'otherTownshipResident', status: 400, code: 'VALIDATION_FAILED' },
    ],
    mustNot: [],
  },
  'GET /api/me': {
    prepare: async () => ({ url: '/api/me' }),
    may: [
      { as: 'resident', status: 200 },
      { as: 'otherTownshipResident', status: 200, check: (r, f) => expect(r.body.township.id).toBe(f.other.township.id) },
    ],
    mustNot: [],
  },

  // Organisation.
  'GET /api/townships/current': {
    prepare: async () => ({ url: '/api/townships/current' }),
    may: [
      { as: 'resident', status: 200, check: (r, f) => expect(r.body.id).toBe(f.demo.township.id) },
      { as: 'otherTownshipAdmin', status: 200, check: (r, f) => expect(r.body.id).toBe(f.other.township.id) },
    ],
    mustNot: [],
  },
  'GET /api/units': {
    prepare: async () => ({ url: '/api/units' }),
    may: [
      { as: 'resident', status: 200, check: (r, f) => expect(r.body.map((u: UnitEntity) => u.id)).toContain(f.santang.id) },
      {
        as: 'otherTownshipResident',
        status: 200,
        // Scoped, not refused: they see their own township's units and none of ours.
        check: (r, f) => {
          expect(r.body.length).toBeGreaterThan(0);
          expect(r.body.every((u: UnitEntity) => u.townshipId === f.other.township.id)).toBe(true);
        },
      },
    ],
    mustNot: [],
  },
  'POST /api/units': {
    prepare: async () => {
      const name = `矩阵村${nextSerial()}`;
      return { url: '/api/units', body: { name, kind: UnitKind.VILLAGE }, context: { name } };
    },
    may: [
      { as: 'townshipAdmin', status: 201, check: (r, f) => expect(r.body.townshipId).toBe(f.demo.township.id) },
      // Allowed, but only ever into their own township.
      { as: 'otherTownshipAdmin', status: 201, check: (r, f) => expect(r.body.townshipId).toBe(f.other.township.id) },
    ],
    mustNot: [
      { as: 'resident', status: 403, code: 'FORBIDDEN' },
      { as: 'staff', status: 403, code: 'FORBIDDEN' },
      { as: 'unitAdmin', status: 403, code: 'FORBIDDEN' },
      { as: 'police', status: 403, code: 'FORBIDDEN' },
      { as: 'otherTownshipResident', status: 403, code: 'FORBIDDEN' },
    ],
    wrote: async (f, context) => (await count(f, UnitEntity, { name: String(context?.name) })) > 0,
  },
  'PATCH /api/units/{unitId}': {
    prepare: async (_f, unitId) => {
      const name = `三塘村${nextSerial()}`;
      return { url: `/api/units/${unitId}`, body: { name }, context: { name } };
    },
    may: [{ as: 'townshipAdmin', status: 200 }],
    mustNot: [
      { as: 'resident', status: 403, code: 'FORBIDDEN' },
      { as: 'staff', status: 403, code: 'FORBIDDEN' },
      // Even the unit's own admin may not rename it.
      { as: 'unitAdmin', status: 403, code: 'FORBIDDEN' },
      { as: 'police', status: 403, code: 'FORBIDDEN' },
      { as: 'otherTownshipAdmin', status: 404, code: 'UNIT_NOT_FOUND' },
      { as: 'otherTownshipResident', status: 403, code: 'FORBIDDEN' },
    ],
    wrote: async (f, context) => (await count(f, UnitEntity, { name: String(context?.name) })) > 0,
  },
  'POST /api/units/{unitId}/invites': {
    prepare: async (f, unitId) => ({ url: `/api/units/${unitId}/invites`, body: {}, context: { before: await count(f, InviteCodeEntity, {}) } }),
    may: unitAdminsMay(201),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
    wrote: async (f, context) => (await count(f, InviteCodeEntity, {})) > Number(context?.before),
  },
  'GET /api/units/{unitId}/invites': {
    prepare: async (_f, unitId) => ({ url: `/api/units/${unitId}/invites` }),
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
  },
  'DELETE /api/units/{unitId}/invites/{inviteId}': {
    prepare: async (f, unitId) => {
      const invite = await buildInvite(f.t.dataSource, f.santang);
      return { url: `/api/units/${unitId}/invites/${invite.id}`, context: { inviteId: invite.id } };
    },
    may: unitAdminsMay(204),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
    wrote: async (f, context) =>
      (await f.t.dataSource.getRepository(InviteCodeEntity).findOneByOrFail({ id: String(context?.inviteId) })).revokedAt !== null,
  },
  'POST /api/memberships/join': {
    prepare: async (f) => {
      const invite = await buildInvite(f.t.dataSource, f.santang);
      const before = await f.t.dataSource.getRepository(MembershipEntity).countBy({ unitId: f.santang.id });
      return { url: '/api/memberships/join', body: { code: invite.code }, context: { before } };
    },
    may: [
      { as: 'resident', status: 201, check: (r) => expect(r.body.status).toBe('pending') },
      { as: 'otherUnitAdmin', status: 201 },
    ],
    mustNot: [
      // A code of another township does not exist for them.
      { as: 'otherTownshipResident', status: 404, code: 'INVITE_NOT_FOUND' },
      { as: 'otherTownshipAdmin', status: 404, code: 'INVITE_NOT_FOUND' },
    ],
    wrote: async (f, context) => (await f.t.dataSource.getRepository(MembershipEntity).countBy({ unitId: f.santang.id })) > Number(context?.before),
  },
  'GET /api/units/{unitId}/members': {
    prepare: async (_f, unitId) => ({ url: `/api/units/${unitId}/members?status=pending` }),
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
  },
  'POST /api/units/{unitId}/members/{membershipId}/approve': {
    prepare: async (f, unitId) => {
      const membership = await pendingMembership(f);
      return { url: `/api/units/${unitId}/members/${membership.id}/approve`, context: { membershipId: membership.id } };
    },
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
    wrote: membershipDecided,
  },
  'POST /api/units/{unitId}/members/{membershipId}/reject': {
    prepare: async (f, unitId) => {
      const membership = await pendingMembership(f);
      return { url: `/api/units/${unitId}/members/${membership.id}/reject`, context: { membershipId: membership.id } };
    },
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
    wrote: membershipDecided,
  },
  'POST /api/units/{unitId}/roster': {
    prepare: async (f, unitId) => {
      const phone = `137${String(nextSerial()).padStart(8, '0')}`;
      const upload = multipartUpload(Buffer.from(`姓名,手机号\n矩阵人员,${phone}\n`));
      return { url: `/api/units/${unitId}/roster`, ...upload, context: { before: await count(f, RosterEntryEntity, {}) } };
    },
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
    wrote: async (f, context) => (await count(f, RosterEntryEntity, {})) > Number(context?.before),
  },
  'GET /api/units/{unitId}/roster': {
    prepare: async (_f, unitId) => ({ url: `/api/units/${unitId}/roster` }),
    may: unitAdminsMay(200),
    mustNot: UNIT_ADMIN_ONLY_REFUSALS,
  },
};

const methodOf = (key: string) => key.split(' ')[0] as RequestOptions['method'];
/** Status and, for errors, the error code: compared together so a failure shows both. */
const outcome = (response: TestResponse) => ({ status: response.status, code: response.status >= 400 ? response.body?.code : undefined });

describe(`authorization matrix: who may call every route (${DB_TIER})`, () => {
  const f = {} as Fixture;

  beforeAll(async () => {
    f.t = await startTestApp();
    f.demo = await buildDemoTownship(f.t.dataSource);
    f.other = await buildTownship(f.t.dataSource, 'other', '其他乡', [
      { name: '其他乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '其他村', kind: UnitKind.VILLAGE },
    ]);
    f.santang = f.demo.units['三塘村'];
    f.tokens = {
      resident: await tokenFor(f.t, { name: '矩阵居民' }),
      staff: await tokenFor(f.t, { role: Role.STAFF, unitId: f.santang.id, name: '矩阵文书' }),
      unitAdmin: await tokenFor(f.t, { role: Role.UNIT_ADMIN, unitId: f.santang.id, name: '矩阵支书' }),
      otherUnitAdmin: await tokenFor(f.t, { role: Role.UNIT_ADMIN, unitId: f.demo.units['石门村'].id, name: '矩阵石门支书' }),
      police: await tokenFor(f.t, { role: Role.POLICE, name: '矩阵民警' }),
      townshipAdmin: await tokenFor(f.t, { role: Role.TOWNSHIP_ADMIN, name: '矩阵平安办' }),
      otherTownshipAdmin: await tokenFor(f.t, { role: Role.TOWNSHIP_ADMIN, townshipCode: 'other', name: '外乡管理员' }),
      otherTownshipResident: await tokenFor(f.t, { townshipCode: 'other', name: '外乡居民' }),
    };
  });
  afterAll(() => f.t.close());

  const send = async (key: string, as: Caller, unitId?: string, token?: string): Promise<{ response: TestResponse; prepared: Prepared }> => {
    const prepared = await MATRIX[key].prepare(f, unitId ?? f.santang.id);
    const response = await f.t.request({
      method: methodOf(key),
      url: prepared.url,
      body: prepared.body,
      payload: prepared.payload,
      headers: prepared.headers,
      token: token ?? (as === 'anonymous' ? undefined : f.tokens[as]),
    });
    return { response, prepared };
  };

  it('should have a row for every route of the OpenAPI document, and none for a route that does not exist', async () => {
    const routes = await documentedRoutes(f.t);
    expect(routes.length).toBeGreaterThan(10);
    // The video campaign routes have their own matrix (viewing-authorization.e2e-spec.ts), which checks its own list.
    expect(routes.filter((route) => !(route in MATRIX) && !isViewingRoute(route) && !isTipRoute(route))).toEqual([]);
    expect(Object.keys(MATRIX).filter((key) => !routes.includes(key))).toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    describe(key, () => {
      if (row.public) {
        it('should be public: a caller without a token passes the guard', async () => {
          const { response } = await send(key, 'anonymous');
          expect([401, 403]).not.toContain(response.status);
        });
      } else {
        it('should refuse a caller without a token with 401 AUTH_REQUIRED', async () => {
          const { response } = await send(key, 'anonymous');
          expect(response.status).toBe(401);
          expect(response.body.code).toBe('AUTH_REQUIRED');
        });

        it('should refuse a forged token with 401 AUTH_TOKEN_INVALID', async () => {
          const { response } = await send(key, 'anonymous', undefined, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged');
          expect(response.status).toBe(401);
          expect(response.body.code).toBe('AUTH_TOKEN_INVALID');
        });

        it('should be tested with at least one caller who may call it', () => {
          expect(row.may.length).toBeGreaterThan(0);
        });
      }

      for (const allowed of row.may) {
        it(`should let ${CALLER_LABELS[allowed.as]} through with ${allowed.status}`, async () => {
          const { response, prepared } = await send(key, allowed.as);
          expect(outcome(response)).toEqual({ status: allowed.status, code: allowed.code });
          allowed.check?.(response, f);
          if (row.wrote) expect(await row.wrote(f, prepared.context)).toBe(true);
        });
      }

      for (const refused of row.mustNot) {
        it(`should refuse ${CALLER_LABELS[refused.as]} with ${refused.status} ${refused.code} and change nothing`, async () => {
          const { response, prepared } = await send(key, refused.as);
          expect(outcome(response)).toEqual({ status: refused.status, code: refused.code });
          if (row.wrote) expect(await row.wrote(f, prepared.context)).toBe(false);
        });
      }

      if (key.includes('{unitId}')) {
        it('should answer a unit of another township exactly like a missing one', async () => {
          const { response: foreign } = await send(key, 'otherTownshipAdmin');
          const { response: missing } = await send(key, 'townshipAdmin', newId());
          expect(foreign.status).toBe(404);
          expect(missing.status).toBe(404);
          expect({ ...foreign.body, requestId: undefined }).toEqual({ ...missing.body, requestId: undefined });
        });
      }
    });
  }
});
