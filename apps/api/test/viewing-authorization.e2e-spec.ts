import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, Role, UnitKind, type CampaignResponse, type MyCampaignResponse, type VideoResponse, type ViewerStatusResponse } from '@qmfz/contracts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newId } from '../src/common/ids.js';
import {
  CampaignEntity,
  CheckinEntity,
  NoticeEntity,
  SubscribeConsentEntity,
  VideoEntity,
  ViewingProgressEntity,
  ViewingRejectionEntity,
  type UnitEntity,
} from '../src/database/entities/index.js';
import { buildMember, buildTownship, multipartForm, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { documentedRoutes, isViewingRoute } from './support/route-families.js';
import { DB_TIER } from './test-db.js';

/**
 * Who may call each video campaign route (docs/api-viewing.md). The campaign includes 一村 and 二村 of 权限乡 and
 * requires staff and unit admins; 三村 is not in it. Every route is called without a token, with a forged one, by
 * callers who may and by callers who must be refused, including users of another township; no refusal may carry
 * a name or an id of ours.
 */

type Caller =
  | 'anonymous'
  | 'resident'
  | 'staff'
  | 'otherStaff'
  | 'unitAdmin'
  | 'peerUnitAdmin'
  | 'otherUnitAdmin'
  | 'police'
  | 'townshipAdmin'
  | 'otherTownshipAdmin'
  | 'otherTownshipStaff';
type Person = Exclude<Caller, 'anonymous'>;

const CALLER_LABELS: Record<Caller, string> = {
  anonymous: 'a caller without a token',
  resident: 'a resident without a unit',
  staff: 'staff of the campaign’s unit',
  otherStaff: 'staff of a unit outside the campaign',
  unitAdmin: 'the admin of the campaign’s unit',
  peerUnitAdmin: 'the admin of the campaign’s other unit',
  otherUnitAdmin: 'the admin of a unit outside the campaign',
  police: 'a police officer',
  townshipAdmin: 'the township admin',
  otherTownshipAdmin: 'the admin of another township',
  otherTownshipStaff: 'staff of another township',
};

const NAMES: Record<Person, string> = {
  resident: '权限居民',
  staff: '一村文书',
  otherStaff: '三村文书',
  unitAdmin: '一村支书',
  peerUnitAdmin: '二村支书',
  otherUnitAdmin: '三村支书',
  police: '权限民警',
  townshipAdmin: '权限平安办',
  otherTownshipAdmin: '外乡管理员',
  otherTownshipStaff: '外乡文书',
};

const FIXTURE = readFileSync(fileURLToPath(new URL('../../miniapp/test/fixtures/test-video.webm', import.meta.url)));
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface Fixture {
  t: TestApp;
  town: BuiltTownship;
  other: BuiltTownship;
  yicun: UnitEntity;
  users: Record<Person, { id: string; token: string }>;
  video: VideoResponse;
  campaign: CampaignResponse;
  /** A signed link to the uploaded video, from a viewing session. */
  streamUrl: string;
  /** The staff member's viewing session. */
  staffSession: string;
  /** Names and ids of 权限乡 that no refusal may show. */
  secrets: string[];
}

interface Prepared {
  url: string;
  body?: unknown;
  payload?: Buffer;
  headers?: Record<string, string>;
  context?: Record<string, string | number>;
}

interface Case {
  as: Caller;
  status: number;
  code?: ErrorCode;
  check?: (response: TestResponse, f: Fixture, prepared: Prepared) => unknown;
}

interface Row {
  public?: boolean;
  prepare: (f: Fixture, as: Caller, campaignId: string) => Promise<Prepared>;
  may: Case[];
  mustNot: Case[];
  /** For writes: whether this call changed anything. Must be true when allowed and false when refused. */
  wrote?: (f: Fixture, as: Caller, context: Prepared['context']) => Promise<boolean>;
}

const ids = (response: TestResponse) => (response.body as { id: string }[]).map((item) => item.id);
const forbidden = (...callers: Caller[]): Case[] => callers.map((as) => ({ as, status: 403, code: ErrorCode.FORBIDDEN }));
const notRequired = (...callers: Caller[]): Case[] => callers.map((as) => ({ as, status: 403, code: ErrorCode.CAMPAIGN_NOT_REQUIRED }));
const notFound = (code: ErrorCode, ...callers: Caller[]): Case[] => callers.map((as) => ({ as, status: 404, code }));
const everyone = (status: number, check?: Case['check']): Case[] =>
  (Object.keys(NAMES) as Person[]).map((as) => ({ as, status, check }));

/** Refusals shared by the campaign administration routes, for a campaign that includes 一村 and 二村. */
const ADMIN_ROUTE_REFUSALS: Case[] = [
  ...forbidden('resident', 'staff', 'otherStaff', 'police', 'otherTownshipStaff'),
  ...notFound(ErrorCode.CAMPAIGN_NOT_FOUND, 'otherUnitAdmin', 'otherTownshipAdmin'),
];
/** …and for the routes of one unit (一村): the admin of 二村 sees the campaign, but not 一村. */
const UNIT_ROUTE_REFUSALS: Case[] = [...ADMIN_ROUTE_REFUSALS, ...forbidden('peerUnitAdmin')];

let serial = 0;
const nextSerial = () => ++serial;
const rows = (f: Fixture, entity: typeof VideoEntity | typeof CampaignEntity | typeof NoticeEntity | typeof CheckinEntity, where: object) =>
  f.t.dataSource.getRepository(entity).countBy(where);
const wrongUserCount = async (f: Fixture, userId: string) =>
  (await f.t.dataSource.getRepository(ViewingRejectionEntity).findOneBy({ userId, reason: 'wrong_user' }))?.count ?? 0;
const userOf = (f: Fixture, as: Caller) => (as === 'anonymous' ? { id: newId(), token: '' } : f.users[as]);

const MATRIX: Record<string, Row> = {
  'GET /api/videos': {
    prepare: async () => ({ url: '/api/videos' }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r, f) => expect(ids(r)).toContain(f.video.id) },
      { as: 'otherTownshipAdmin', status: 200, check: (r, f) => expect(ids(r)).not.toContain(f.video.id) },
    ],
    mustNot: forbidden('resident', 'staff', 'unitAdmin', 'police', 'otherTownshipStaff'),
  },
  'POST /api/videos': {
    prepare: async () => {
      const title = `矩阵上传${nextSerial()}`;
      return { url: '/api/videos', ...multipartForm([{ name: 'title', value: title }, { name: 'file', filename: 'a.webm', contentType: 'video/webm', content: FIXTURE }]), context: { title } };
    },
    may: [
      { as: 'townshipAdmin', status: 201 },
      // Allowed, but only ever into their own township.
      {
        as: 'otherTownshipAdmin',
        status: 201,
        check: async (r, f) => expect((await f.t.dataSource.getRepository(VideoEntity).findOneByOrFail({ id: r.body.id })).townshipId).toBe(f.other.township.id),
      },
    ],
    mustNot: forbidden('resident', 'staff', 'unitAdmin', 'police', 'otherTownshipStaff'),
    wrote: async (f, _as, context) => (await rows(f, VideoEntity, { title: String(context?.title) })) > 0,
  },
  'POST /api/videos/external': {
    prepare: async () => {
      const title = `矩阵外链${nextSerial()}`;
      return { url: '/api/videos/external', body: { title, url: 'https://video.example.cn/m.mp4', durationSeconds: 30 }, context: { title } };
    },
    may: [
      { as: 'townshipAdmin', status: 201 },
      {
        as: 'otherTownshipAdmin',
        status: 201,
        check: async (r, f) => expect((await f.t.dataSource.getRepository(VideoEntity).findOneByOrFail({ id: r.body.id })).townshipId).toBe(f.other.township.id),
      },
    ],
    mustNot: forbidden('resident', 'staff', 'unitAdmin', 'police', 'otherTownshipStaff'),
    wrote: async (f, _as, context) => (await rows(f, VideoEntity, { title: String(context?.title) })) > 0,
  },
  'GET /api/videos/{videoId}/stream': {
    // Public: the signed link is the credential (its refusals are in videos.e2e-spec.ts).
    public: true,
    prepare: async (f) => ({ url: f.streamUrl }),
    may: [
      { as: 'anonymous', status: 200, check: (r) => expect(r.headers['content-length']).toBe(String(FIXTURE.length)) },
      { as: 'otherTownshipStaff', status: 200 },
    ],
    mustNot: [],
  },
  'GET /api/campaigns': {
    prepare: async () => ({ url: '/api/campaigns' }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r, f) => expect(ids(r)).toContain(f.campaign.id) },
      { as: 'unitAdmin', status: 200, check: (r, f) => expect(ids(r)).toContain(f.campaign.id) },
      { as: 'peerUnitAdmin', status: 200, check: (r, f) => expect(ids(r)).toContain(f.campaign.id) },
      // Scoped, not refused: campaigns without their units, or of another township, are not listed.
      { as: 'otherUnitAdmin', status: 200, check: (r, f) => expect(ids(r)).not.toContain(f.campaign.id) },
      { as: 'otherTownshipAdmin', status: 200, check: (r) => expect(r.body).toEqual([]) },
    ],
    mustNot: forbidden('resident', 'staff', 'otherStaff', 'police', 'otherTownshipStaff'),
  },
  'POST /api/campaigns': {
    prepare: async (f) => {
      const title = `矩阵任务${nextSerial()}`;
      const deadline = new Date(Date.now() + 3600_000).toISOString();
      return { url: '/api/campaigns', body: { title, videoId: f.video.id, deadline, unitIds: [f.yicun.id], roles: ['staff'], headsFirst: false }, context: { title } };
    },
    may: [{ as: 'townshipAdmin', status: 201 }],
    mustNot: [
      ...forbidden('resident', 'staff', 'unitAdmin', 'police', 'otherTownshipStaff'),
      // Our video does not exist for them.
      ...notFound(ErrorCode.VIDEO_NOT_FOUND, 'otherTownshipAdmin'),
    ],
    wrote: async (f, _as, context) => (await rows(f, CampaignEntity, { title: String(context?.title) })) > 0,
  },
  'GET /api/campaigns/{campaignId}/progress': {
    prepare: async (_f, _as, campaignId) => ({ url: `/api/campaigns/${campaignId}/progress` }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r, f) => expect(r.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(f.campaign.unitIds) },
      { as: 'unitAdmin', status: 200, check: (r) => expect(r.body.units.map((u: { unitName: string }) => u.unitName)).toEqual(['一村']) },
      { as: 'peerUnitAdmin', status: 200, check: (r) => expect(r.body.units.map((u: { unitName: string }) => u.unitName)).toEqual(['二村']) },
    ],
    mustNot: ADMIN_ROUTE_REFUSALS,
  },
  'GET /api/campaigns/{campaignId}/units/{unitId}/viewers': {
    prepare: async (f, _as, campaignId) => ({ url: `/api/campaigns/${campaignId}/units/${f.yicun.id}/viewers` }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r) => expect((r.body as ViewerStatusResponse[]).map((v) => v.displayName).sort()).toEqual(['一村支书', '一村文书'].sort()) },
      { as: 'unitAdmin', status: 200, check: (r, f) => expect((r.body as ViewerStatusResponse[]).map((v) => v.userId)).toContain(f.users.staff.id) },
    ],
    mustNot: UNIT_ROUTE_REFUSALS,
  },
  'GET /api/campaigns/{campaignId}/units/{unitId}/export': {
    prepare: async (f, _as, campaignId) => ({ url: `/api/campaigns/${campaignId}/units/${f.yicun.id}/export` }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r) => expect(r.headers['content-type']).toBe(XLSX_TYPE) },
      { as: 'unitAdmin', status: 200, check: (r) => expect(r.headers['content-type']).toBe(XLSX_TYPE) },
    ],
    mustNot: UNIT_ROUTE_REFUSALS,
  },
  'POST /api/campaigns/{campaignId}/reminders': {
    prepare: async (f, as, campaignId) => ({
      url: `/api/campaigns/${campaignId}/reminders`,
      // The unit admin names no unit: the reminder goes to the units they administer and nobody else.
      body: as === 'unitAdmin' ? {} : { unitId: f.yicun.id },
      context: { before: await rows(f, NoticeEntity, {}), peerBefore: await rows(f, NoticeEntity, { userId: f.users.peerUnitAdmin.id }) },
    }),
    may: [
      { as: 'townshipAdmin', status: 200, check: (r) => expect(r.body).toMatchObject({ notified: 2 }) },
      {
        as: 'unitAdmin',
        status: 200,
        check: async (r, f, prepared) => {
          expect(r.body).toMatchObject({ notified: 2 });
          expect(await rows(f, NoticeEntity, { userId: f.users.peerUnitAdmin.id })).toBe(prepared.context?.peerBefore);
        },
      },
    ],
    mustNot: UNIT_ROUTE_REFUSALS,
    wrote: async (f, _as, context) => (await rows(f, NoticeEntity, {})) > Number(context?.before),
  },
  'GET /api/viewing/campaigns': {
    prepare: async () => ({ url: '/api/viewing/campaigns' }),
    may: (Object.keys(NAMES) as Person[]).map((as) => ({
      as,
      status: 200,
      check: (r: TestResponse, f: Fixture) => {
        const required = ['staff', 'unitAdmin', 'peerUnitAdmin'].includes(as);
        expect((r.body as MyCampaignResponse[]).some((c) => c.id === f.campaign.id)).toBe(required);
      },
    })),
    mustNot: [],
  },
  'POST /api/viewing/campaigns/{campaignId}/sessions': {
    prepare: async (f, as, campaignId) => {
      const row = await f.t.dataSource.getRepository(ViewingProgressEntity).findOneBy({ campaignId: f.campaign.id, userId: userOf(f, as).id });
      return { url: `/api/viewing/campaigns/${campaignId}/sessions`, context: { sessionBefore: row?.sessionId ?? '' } };
    },
    may: [
      { as: 'staff', status: 201 },
      { as: 'unitAdmin', status: 201 },
      { as: 'peerUnitAdmin', status: 201 },
    ],
    mustNot: [
      ...notRequired('resident', 'otherStaff', 'otherUnitAdmin', 'police', 'townshipAdmin'),
      ...notFound(ErrorCode.CAMPAIGN_NOT_FOUND, 'otherTownshipAdmin', 'otherTownshipStaff'),
    ],
    wrote: async (f, as, context) => {
      const row = await f.t.dataSource.getRepository(ViewingProgressEntity).findOneBy({ campaignId: f.campaign.id, userId: userOf(f, as).id });
      return !!row && row.sessionId !== context?.sessionBefore;
    },
  },
  'POST /api/viewing/campaigns/{campaignId}/heartbeats': {
    // Everyone presents the staff member's session token; only its owner may use it.
    prepare: async (f, as, campaignId) => ({
      url: `/api/viewing/campaigns/${campaignId}/heartbeats`,
      body: { sessionToken: f.staffSession, position: 0, clientTimeMs: nextSerial(), event: 'play' },
      context: { wrongUserBefore: await wrongUserCount(f, userOf(f, as).id), ownerBefore: await wrongUserCount(f, f.users.staff.id) },
    }),
    may: [{ as: 'staff', status: 200, check: (r) => expect(r.body).toMatchObject({ coveredSeconds: 0, rejected: null }) }],
    mustNot: (['resident', 'otherStaff', 'unitAdmin', 'peerUnitAdmin', 'otherUnitAdmin', 'police', 'townshipAdmin', 'otherTownshipAdmin', 'otherTownshipStaff'] as Person[]).map(
      (as) => ({
        as,
        status: 403,
        code: ErrorCode.VIEWING_SESSION_FOREIGN,
        // Counted against whoever presented it, never against its owner.
        check: async (_r: TestResponse, f: Fixture, prepared: Prepared) => {
          expect(await wrongUserCount(f, f.users[as].id)).toBe(Number(prepared.context?.wrongUserBefore) + 1);
          expect(await wrongUserCount(f, f.users.staff.id)).toBe(prepared.context?.ownerBefore);
        },
      }),
    ),
  },
  'POST /api/viewing/campaigns/{campaignId}/check-in': {
    prepare: async (f, as, campaignId) => ({
      url: `/api/viewing/campaigns/${campaignId}/check-in`,
      body: { platform: 'ios' },
      context: { userId: userOf(f, as).id },
    }),
    may: [
      { as: 'staff', status: 201, check: (r, f) => expect(r.body).toMatchObject({ campaignId: f.campaign.id }) },
      // Required, so they pass; but nothing of theirs is verified.
      { as: 'unitAdmin', status: 409, code: ErrorCode.VIEWING_NOT_VERIFIED },
    ],
    mustNot: [
      ...notRequired('resident', 'otherStaff', 'otherUnitAdmin', 'police', 'townshipAdmin'),
      ...notFound(ErrorCode.CAMPAIGN_NOT_FOUND, 'otherTownshipAdmin', 'otherTownshipStaff'),
    ],
    wrote: async (f, _as, context) => (await rows(f, CheckinEntity, { userId: String(context?.userId) })) > 0,
  },
  'GET /api/subscriptions/templates': {
    prepare: async () => ({ url: '/api/subscriptions/templates' }),
    may: everyone(200, (r) => expect(r.body).toEqual({ templates: {} })),
    mustNot: [],
  },
  'POST /api/subscriptions/consents': {
    prepare: async () => ({ url: '/api/subscriptions/consents', body: { kind: 'video_reminder', accepted: true } }),
    may: (['resident', 'staff', 'otherTownshipStaff'] as Person[]).map((as) => ({
      as,
      status: 204,
      check: async (_r: TestResponse, f: Fixture) =>
        expect(await f.t.dataSource.getRepository(SubscribeConsentEntity).countBy({ userId: f.users[as].id })).toBe(1),
    })),
    mustNot: [],
  },
  'GET /api/notices': {
    prepare: async () => ({ url: '/api/notices' }),
    may: [
      { as: 'staff', status: 200, check: (r) => expect(r.body.length).toBeGreaterThan(0) },
      // Only one's own: the staff member's reminders are nobody else's.
      { as: 'resident', status: 200, check: (r) => expect(r.body).toEqual([]) },
      { as: 'otherTownshipAdmin', status: 200, check: (r) => expect(r.body).toEqual([]) },
    ],
    mustNot: [],
  },
  'POST /api/notices/{noticeId}/read': {
    prepare: async (f) => {
      const notice: NoticeEntity = {
        id: newId(),
        townshipId: f.town.township.id,
        userId: f.users.staff.id,
        title: '矩阵通知',
        body: '请观看',
        link: null,
        createdAt: new Date(),
        readAt: null,
      };
      await f.t.dataSource.getRepository(NoticeEntity).insert(notice);
      return { url: `/api/notices/${notice.id}/read`, context: { noticeId: notice.id } };
    },
    may: [{ as: 'staff', status: 204 }],
    mustNot: notFound(
      ErrorCode.NOTICE_NOT_FOUND,
      'resident',
      'otherStaff',
      'unitAdmin',
      'peerUnitAdmin',
      'otherUnitAdmin',
      'police',
      'townshipAdmin',
      'otherTownshipAdmin',
      'otherTownshipStaff',
    ),
    wrote: async (f, _as, context) => (await f.t.dataSource.getRepository(NoticeEntity).findOneByOrFail({ id: String(context?.noticeId) })).readAt !== null,
  },
};

const methodOf = (key: string) => key.split(' ')[0] as RequestOptions['method'];
const outcome = (response: TestResponse) => ({ status: response.status, code: response.status >= 400 ? response.body?.code : undefined });

describe(`authorization of the video campaign routes (${DB_TIER})`, () => {
  const f = {} as Fixture;
  let videoDir: string;

  beforeAll(async () => {
    videoDir = mkdtempSync(join(tmpdir(), 'qmfz-videos-'));
    f.t = await startTestApp({ env: { VIDEO_DIR: videoDir } });
    f.town = await buildTownship(f.t.dataSource, 'quanxian', '权限乡', [
      { name: '权限乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '一村', kind: UnitKind.VILLAGE },
      { name: '二村', kind: UnitKind.VILLAGE },
      { name: '三村', kind: UnitKind.VILLAGE },
      { name: '权限派出所', kind: UnitKind.POLICE_STATION },
    ]);
    f.other = await buildTownship(f.t.dataSource, 'waixiang', '外乡', [
      { name: '外乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '外乡村', kind: UnitKind.VILLAGE },
    ]);
    f.yicun = f.town.units['一村'];
    const roles: Record<Person, [UnitEntity, Role | null]> = {
      resident: [f.yicun, null],
      staff: [f.yicun, Role.STAFF],
      otherStaff: [f.town.units['三村'], Role.STAFF],
      unitAdmin: [f.yicun, Role.UNIT_ADMIN],
      peerUnitAdmin: [f.town.units['二村'], Role.UNIT_ADMIN],
      otherUnitAdmin: [f.town.units['三村'], Role.UNIT_ADMIN],
      police: [f.town.units['权限派出所'], Role.POLICE],
      townshipAdmin: [f.town.units['权限乡平安办'], Role.TOWNSHIP_ADMIN],
      otherTownshipAdmin: [f.other.units['外乡平安办'], Role.TOWNSHIP_ADMIN],
      otherTownshipStaff: [f.other.units['外乡村'], Role.STAFF],
    };
    f.users = {} as Fixture['users'];
    for (const [as, [unit, role]] of Object.entries(roles) as [Person, [UnitEntity, Role | null]][]) {
      const { user, token } = await buildMember(f.t, unit, role, { name: NAMES[as] });
      f.users[as] = { id: user.id, token };
    }

    const admin = f.users.townshipAdmin.token;
    const upload = multipartForm([
      { name: 'title', value: '权限乡宣传片' },
      { name: 'file', filename: 'a.webm', contentType: 'video/webm', content: FIXTURE },
    ]);
    f.video = (await f.t.request({ method: 'POST', url: '/api/videos', token: admin, ...upload })).body;
    const deadline = new Date(Date.now() + 24 * 3600_000).toISOString();
    const unitIds = [f.yicun.id, f.town.units['二村'].id];
    const created = await f.t.request({
      method: 'POST',
      url: '/api/campaigns',
      token: admin,
      body: { title: '权限乡观看任务', videoId: f.video.id, deadline, unitIds, roles: ['staff', 'unit_admin'], headsFirst: false },
    });
    expect(created.status).toBe(201);
    f.campaign = created.body;
    const session = await f.t.request({ method: 'POST', url: `/api/viewing/campaigns/${f.campaign.id}/sessions`, token: f.users.staff.token });
    f.staffSession = session.body.sessionToken;
    f.streamUrl = session.body.videoUrl;
    // The staff member's viewing is verified (how is the flow tests' concern), so their check-in can pass.
    await f.t.dataSource.getRepository(ViewingProgressEntity).update({ campaignId: f.campaign.id, userId: f.users.staff.id }, { completedAt: new Date() });
    await f.t.request({ method: 'POST', url: `/api/campaigns/${f.campaign.id}/reminders`, token: admin, body: {} });

    f.secrets = [
      f.campaign.id,
      f.video.id,
      '权限乡观看任务',
      '权限乡宣传片',
      ...Object.values(f.town.units).flatMap((u) => [u.id, u.name]),
      ...(['resident', 'staff', 'otherStaff', 'unitAdmin', 'peerUnitAdmin', 'otherUnitAdmin', 'police', 'townshipAdmin'] as Person[]).flatMap((as) => [f.users[as].id, NAMES[as]]),
    ];
  });
  afterAll(async () => {
    await f.t?.close();
    rmSync(videoDir, { recursive: true, force: true });
  });

  const send = async (key: string, as: Caller, options: { campaignId?: string; token?: string } = {}) => {
    const prepared = await MATRIX[key].prepare(f, as, options.campaignId ?? f.campaign.id);
    const response = await f.t.request({
      method: methodOf(key),
      url: prepared.url,
      body: prepared.body,
      payload: prepared.payload,
      headers: prepared.headers,
      token: options.token ?? (as === 'anonymous' ? undefined : f.users[as].token),
    });
    return { response, prepared };
  };
  const expectNoLeak = (response: TestResponse) => {
    for (const secret of f.secrets) expect(response.text).not.toContain(secret);
  };

  it('should have a row for every video campaign route of the OpenAPI document, and none for a route that does not exist', async () => {
    const routes = (await documentedRoutes(f.t)).filter(isViewingRoute);
    expect(routes.length).toBe(18);
    expect(routes.filter((route) => !(route in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((key) => !routes.includes(key))).toEqual([]);
  });

  for (const [key, row] of Object.entries(MATRIX)) {
    describe(key, () => {
      if (row.public) {
        it('should be public: a caller without a token gets through', async () => {
          const { response } = await send(key, 'anonymous');
          expect([401, 403]).not.toContain(response.status);
        });
      } else {
        it('should refuse a caller without a token with 401 AUTH_REQUIRED', async () => {
          const { response } = await send(key, 'anonymous');
          expect(outcome(response)).toEqual({ status: 401, code: ErrorCode.AUTH_REQUIRED });
          expectNoLeak(response);
        });

        it('should refuse a forged token with 401 AUTH_TOKEN_INVALID', async () => {
          const { response } = await send(key, 'anonymous', { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged' });
          expect(outcome(response)).toEqual({ status: 401, code: ErrorCode.AUTH_TOKEN_INVALID });
        });
      }

      for (const allowed of row.may) {
        it(`should let ${CALLER_LABELS[allowed.as]} through with ${allowed.status}${allowed.code ? ` ${allowed.code}` : ''}`, async () => {
          const { response, prepared } = await send(key, allowed.as);
          expect(outcome(response)).toEqual({ status: allowed.status, code: allowed.code });
          await allowed.check?.(response, f, prepared);
          if (row.wrote && allowed.status < 300) expect(await row.wrote(f, allowed.as, prepared.context)).toBe(true);
        });
      }

      for (const refused of row.mustNot) {
        it(`should refuse ${CALLER_LABELS[refused.as]} with ${refused.status} ${refused.code}, change nothing and show nothing of ours`, async () => {
          const { response, prepared } = await send(key, refused.as);
          expect(outcome(response)).toEqual({ status: refused.status, code: refused.code });
          await refused.check?.(response, f, prepared);
          if (row.wrote) expect(await row.wrote(f, refused.as, prepared.context)).toBe(false);
          expectNoLeak(response);
        });
      }

      if (key.includes('{campaignId}') && !key.endsWith('/heartbeats')) {
        it('should answer a campaign of another township exactly like a missing one', async () => {
          const asker: Person = key.includes('/viewing/') ? 'otherTownshipStaff' : 'otherTownshipAdmin';
          const owner: Person = key.includes('/viewing/') ? 'staff' : 'townshipAdmin';
          const { response: foreign } = await send(key, asker);
          const { response: missing } = await send(key, owner, { campaignId: newId() });
          expect(foreign.status).toBe(404);
          expect({ ...foreign.body, requestId: undefined }).toEqual({ ...missing.body, requestId: undefined });
        });
      }
    });
  }

  describe('ids of one township used by the admin of another', () => {
    let theirs: CampaignResponse;

    beforeAll(async () => {
      const token = f.users.otherTownshipAdmin.token;
      const video = await f.t.request({ method: 'POST', url: '/api/videos/external', token, body: { title: '外乡片', url: 'https://v.example.cn/w.mp4', durationSeconds: 30 } });
      const deadline = new Date(Date.now() + 3600_000).toISOString();
      const body = { title: '外乡任务', videoId: video.body.id, deadline, unitIds: [f.other.units['外乡村'].id], roles: ['staff'], headsFirst: false };
      theirs = (await f.t.request({ method: 'POST', url: '/api/campaigns', token, body })).body;
    });

    it('should answer our unit in their own campaign with 404 UNIT_NOT_FOUND, never 403 or data', async () => {
      const token = f.users.otherTownshipAdmin.token;
      const calls: RequestOptions[] = [
        { method: 'GET', url: `/api/campaigns/${theirs.id}/units/${f.yicun.id}/viewers`, token },
        { method: 'GET', url: `/api/campaigns/${theirs.id}/units/${f.yicun.id}/export`, token },
        { method: 'POST', url: `/api/campaigns/${theirs.id}/reminders`, token, body: { unitId: f.yicun.id } },
        {
          method: 'POST',
          url: '/api/campaigns',
          token,
          body: { title: '借用单位', videoId: theirs.video.id, deadline: theirs.deadline, unitIds: [f.yicun.id], roles: ['staff'], headsFirst: false },
        },
      ];
      for (const call of calls) {
        const response = await f.t.request(call);
        expect({ url: call.url, ...outcome(response) }).toEqual({ url: call.url, status: 404, code: ErrorCode.UNIT_NOT_FOUND });
        expectNoLeak(response);
      }
    });

    it('should refuse their session token on our campaign’s path with 400 VIEWING_SESSION_MISMATCH', async () => {
      const start = await f.t.request({ method: 'POST', url: `/api/viewing/campaigns/${theirs.id}/sessions`, token: f.users.otherTownshipStaff.token });
      expect(start.status).toBe(201);
      // Their token carries their campaign: on our campaign's path it is refused before anything of ours is read.
      const crossed = await f.t.request({
        method: 'POST',
        url: `/api/viewing/campaigns/${f.campaign.id}/heartbeats`,
        token: f.users.otherTownshipStaff.token,
        body: { sessionToken: start.body.sessionToken, position: 0, clientTimeMs: 0, event: 'play' },
      });
      expect(outcome(crossed)).toEqual({ status: 400, code: ErrorCode.VIEWING_SESSION_MISMATCH });
      expectNoLeak(crossed);
    });
  });
});
