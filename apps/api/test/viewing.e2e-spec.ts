import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ErrorCode,
  Role,
  UnitKind,
  VIEWING_RULES,
  type CampaignProgressResponse,
  type CampaignResponse,
  type MyCampaignResponse,
  type VideoResponse,
  type ViewerStatusResponse,
} from '@qmfz/contracts';
import { CheckinEntity, UnitEntity, ViewingProgressEntity, ViewingRejectionEntity } from '../src/database/entities/index.js';
import { ViewingTokenCodec } from '../src/viewing/viewing-token.js';
import { buildMember, buildTownship, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { Player, sleep } from './support/player.js';
import { countRows } from './support/row-counts.js';
import { DB_TIER } from './test-db.js';

const NO_REJECTIONS = { run_ahead: 0, jump: 0, duplicate: 0, stale_session: 0, wrong_user: 0 };

describe(`viewing a campaign's video and confirming it (${DB_TIER})`, () => {
  let t: TestApp;
  let town: BuiltTownship;
  let yicun: UnitEntity;
  let ercun: UnitEntity;
  let sancun: UnitEntity;
  let admin: string;
  let yicunAdmin: string;
  let video4: VideoResponse;
  let video6: VideoResponse;
  let videoLong: VideoResponse;
  let campaign4: CampaignResponse;
  let campaign6: CampaignResponse;
  let campaignLong: CampaignResponse;
  let serial = 0;

  const call = (method: RequestOptions['method'], url: string, token?: string, body?: unknown): Promise<TestResponse> =>
    t.request({ method, url, token, body });
  const staffOf = async (unit: UnitEntity, name = `一村文书${++serial}`) => buildMember(t, unit, Role.STAFF, { name });
  const mine = async (token: string, campaignId: string): Promise<MyCampaignResponse | undefined> => {
    const response = await call('GET', '/api/viewing/campaigns', token);
    expect(response.status).toBe(200);
    return (response.body as MyCampaignResponse[]).find((c) => c.id === campaignId);
  };
  const checkIn = (token: string, campaignId: string, body: object = {}) => call('POST', `/api/viewing/campaigns/${campaignId}/check-in`, token, body);
  const viewersOf = async (campaignId: string, unitId: string): Promise<ViewerStatusResponse[]> => {
    const response = await call('GET', `/api/campaigns/${campaignId}/units/${unitId}/viewers`, admin);
    expect(response.status).toBe(200);
    return response.body;
  };
  const progressRow = (campaignId: string, userId: string) => t.dataSource.getRepository(ViewingProgressEntity).findOneBy({ campaignId, userId });
  const externalVideo = async (title: string, durationSeconds: number): Promise<VideoResponse> => {
    const response = await call('POST', '/api/videos/external', admin, { title, url: `https://video.example.cn/${durationSeconds}.mp4`, durationSeconds });
    expect(response.status).toBe(201);
    return response.body;
  };
  const createCampaign = async (title: string, video: VideoResponse, units: UnitEntity[], roles: Role[] = [Role.STAFF], headsFirst = false) => {
    const deadline = new Date(Date.now() + 24 * 3600_000).toISOString();
    const response = await call('POST', '/api/campaigns', admin, { title, videoId: video.id, deadline, unitIds: units.map((u) => u.id), roles, headsFirst });
    expect(response.status).toBe(201);
    return response.body as CampaignResponse;
  };

  beforeAll(async () => {
    t = await startTestApp();
    town = await buildTownship(t.dataSource, 'guankan', '观看乡', [
      { name: '观看乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '一村', kind: UnitKind.VILLAGE },
      { name: '二村', kind: UnitKind.VILLAGE },
      { name: '三村', kind: UnitKind.VILLAGE },
    ]);
    ({ 一村: yicun, 二村: ercun, 三村: sancun } = town.units);
    admin = (await buildMember(t, town.units['观看乡平安办'], Role.TOWNSHIP_ADMIN, { name: '平安办' })).token;
    yicunAdmin = (await buildMember(t, yicun, Role.UNIT_ADMIN, { name: '一村支书' })).token;
    video4 = await externalVideo('四秒短片', 4);
    video6 = await externalVideo('六秒短片', 6);
    videoLong = await externalVideo('十分钟讲座', 600);
    campaign4 = await createCampaign('看四秒短片', video4, [yicun]);
    campaign6 = await createCampaign('看六秒短片', video6, [yicun]);
    campaignLong = await createCampaign('看十分钟讲座', videoLong, [yicun]);
  });
  afterAll(() => t?.close());

  describe('what a person must watch', () => {
    it('should list a campaign to the staff it requires as pending with nothing covered', async () => {
      const { token } = await staffOf(yicun);
      expect(await mine(token, campaign4.id)).toEqual({
        id: campaign4.id,
        title: '看四秒短片',
        deadline: campaign4.deadline,
        videoTitle: '四秒短片',
        durationSeconds: 4,
        status: 'pending',
        coveredSeconds: 0,
        percent: 0,
        verified: false,
        waitingForHead: false,
        checkedInAt: null,
      });
    });

    it('should not list a campaign to people it does not require: another unit, another role, no unit', async () => {
      const otherUnitStaff = await staffOf(ercun, '二村文书');
      const resident = await buildMember(t, yicun, null, { name: '一村居民' });
      for (const token of [otherUnitStaff.token, yicunAdmin, resident.token, admin]) {
        expect(await mine(token, campaign4.id)).toBeUndefined();
      }
    });
  });

  describe('a complete viewing', () => {
    it('should verify a viewing played at twice the speed within the real time it took, then record one check-in', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaign4.id, token);
      const started = await player.start();
      expect(started.status).toBe(201);
      expect(started.body).toEqual({
        sessionToken: expect.any(String),
        videoUrl: 'https://video.example.cn/4.mp4',
        durationSeconds: 4,
        resumeAtSeconds: 0,
        coveredSeconds: 0,
        verified: false,
        heartbeatIntervalSeconds: VIEWING_RULES.heartbeatIntervalSeconds,
      });

      const ended = await player.watchToEnd(4);
      expect(ended.status).toBe(200);
      expect(ended.body).toEqual({ sessionToken: expect.any(String), coveredSeconds: 4, percent: 100, verified: true, rejected: null });
      expect(await mine(token, campaign4.id)).toMatchObject({ status: 'completed', verified: true, percent: 100, checkedInAt: null });

      const first = await checkIn(token, campaign4.id, { deviceModel: 'iPhone 15', system: 'iOS 17.4', platform: 'ios' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ campaignId: campaign4.id, checkedInAt: expect.any(String), coveredSeconds: 4 });
      const again = await Promise.all([1, 2, 3].map((n) => checkIn(token, campaign4.id, { deviceModel: `another phone ${n}` })));
      expect(again.map((r) => [r.status, r.body.checkedInAt])).toEqual([1, 2, 3].map(() => [201, first.body.checkedInAt]));

      const rows = await t.dataSource.getRepository(CheckinEntity).findBy({ campaignId: campaign4.id, userId: user.id });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ deviceModel: 'iPhone 15', system: 'iOS 17.4', platform: 'ios', coveredMs: 4000 });
      expect(await mine(token, campaign4.id)).toMatchObject({ status: 'done', checkedInAt: first.body.checkedInAt });
    });

    it('should refuse to confirm a viewing the server has not verified with 409 VIEWING_NOT_VERIFIED', async () => {
      const { user, token } = await staffOf(yicun);
      expect((await checkIn(token, campaign4.id)).body.code).toBe(ErrorCode.VIEWING_NOT_VERIFIED);

      const player = new Player(t, campaign4.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(600); // the server's clock must allow the second watched: 2 × 0.6 s + 0.06 s
      expect((await player.beat(1, 600)).body.coveredSeconds).toBe(1);
      const early = await checkIn(token, campaign4.id);
      expect(early.status).toBe(409);
      expect(early.body.code).toBe(ErrorCode.VIEWING_NOT_VERIFIED);
      expect(await t.dataSource.getRepository(CheckinEntity).countBy({ userId: user.id })).toBe(0);
    });
  });

  describe('heartbeats that must not count', () => {
    it('should count nothing for a seek forward and never verify the viewing, even after it ends', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign4.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      const jump = await player.beat(3.5, 300, 'seek');
      expect(jump.status).toBe(200);
      expect(jump.body).toMatchObject({ coveredSeconds: 0, verified: false, rejected: 'jump' });

      await sleep(1200); // time enough for the whole video at 2×: only the jump stands in the way
      const ended = await player.beat(4, 1500, 'ended');
      expect(ended.body).toMatchObject({ coveredSeconds: 0, percent: 12, verified: false, rejected: null });
      expect(await mine(token, campaign4.id)).toMatchObject({ status: 'pending', verified: false });
      expect((await checkIn(token, campaign4.id)).status).toBe(409);
    });

    it('should cut a step that runs ahead of the server clock to the time budget and flag it run_ahead', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaignLong.id, token);
      const beforeStart = Date.now();
      await player.start();
      const afterStart = Date.now();
      await player.beat(0, 0, 'play');
      await sleep(1000);
      // The player claims a minute of its clock at 2× (a plausible step), but only a second passed on the server.
      const sentAt = Date.now();
      const ahead = await player.beat(120, 60_000);
      const answeredAt = Date.now();
      expect(ahead.status).toBe(200);
      expect(ahead.body.rejected).toBe('run_ahead');
      expect(ahead.body.verified).toBe(false);
      // Cut to 2 × the session's time + a tenth of it (under 2 s here): about 2.1 s, never the 4 s a flat 2 s slack gave.
      const budgetSeconds = (sessionMs: number) => (2 * sessionMs + Math.min(VIEWING_RULES.budgetToleranceSeconds * 1000, sessionMs / 10)) / 1000;
      expect(ahead.body.coveredSeconds).toBeGreaterThanOrEqual(Math.floor(budgetSeconds(sentAt - afterStart)));
      expect(ahead.body.coveredSeconds).toBeLessThanOrEqual(budgetSeconds(answeredAt - beforeStart));
    });

    it('should refuse a heartbeat whose clock is not after the last accepted one with 409 VIEWING_HEARTBEAT_DUPLICATE', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign6.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000); // the server's clock must allow 2 s watched
      expect((await player.beat(2, 1000)).body.coveredSeconds).toBe(2);
      const newest = player.sessionToken;

      for (const clientTimeMs of [1000, 400]) {
        const duplicate = await player.beat(3, clientTimeMs, 'tick', { sessionToken: newest });
        expect(duplicate.status).toBe(409);
        expect(duplicate.body.code).toBe(ErrorCode.VIEWING_HEARTBEAT_DUPLICATE);
        expect(duplicate.body.sessionToken).toBeUndefined();
      }
      // The player keeps its token: the next heartbeat stands where the last accepted one left off.
      const next = await player.beat(2, 1100, 'pause', { sessionToken: newest });
      expect(next.body).toMatchObject({ coveredSeconds: 2, rejected: null });
    });

    it('should answer a heartbeat retried with the previous token with the same coverage', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign6.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000); // the server's clock must allow the 2 s watched below
      const previous = player.sessionToken;
      const sent = await player.beat(1, 500, 'tick', { sessionToken: previous });
      const retried = await player.beat(1, 500, 'tick', { sessionToken: previous });
      expect(sent.status).toBe(200);
      expect(retried.status).toBe(200);
      expect(retried.body).toMatchObject({ coveredSeconds: sent.body.coveredSeconds, percent: sent.body.percent, rejected: null });
      expect(sent.body.coveredSeconds).toBe(1);
      // Either reply's token carries on from the same place.
      const fromRetry = await player.beat(2, 1000, 'tick', { sessionToken: retried.body.sessionToken });
      expect(fromRetry.body).toMatchObject({ coveredSeconds: 2, rejected: null });
    });
  });

  describe('stopping and playing on', () => {
    const viewerFor = async (campaignId: string, userId: string) => {
      const response = await t.request({ method: 'GET', url: `/api/campaigns/${campaignId}/units/${yicun.id}/viewers`, token: yicunAdmin });
      expect(response.status).toBe(200);
      return (response.body as ViewerStatusResponse[]).find((v) => v.userId === userId);
    };

    it('should count playing on after a pause, from where it paused, and flag nothing', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaignLong.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000);
      expect((await player.beat(2, 1000)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(2, 1100, 'pause')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      await sleep(1500);
      expect((await player.beat(2, 2600, 'play')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(3, 3100)).body).toMatchObject({ coveredSeconds: 3, rejected: null });
      expect((await viewerFor(campaignLong.id, user.id))?.rejections).toEqual(NO_REJECTIONS);
    });

    // The player sends ended only at the end; here it stands for the other event after which the player does not play.
    it.each([
      ['a pause', 'pause'],
      ['an end', 'ended'],
    ] as const)(
      'should count nothing for a seek ahead after %s and a wait, and count it as a jump for the unit admin',
      async (_, stopEvent) => {
        const { user, token } = await staffOf(yicun);
        const player = new Player(t, campaignLong.id, token);
        await player.start();
        await player.beat(0, 0, 'play');
        await sleep(1000);
        expect((await player.beat(2, 1000)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
        expect((await player.beat(2, 1100, stopEvent)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
        await sleep(1500);
        // 4 s ahead: within what 1.5 s of playing at 2× and the 1.5 s step tolerance could reach, but nothing played.
        const leap = await player.beat(6, 2600, 'seek');
        expect(leap.status).toBe(200);
        expect(leap.body).toMatchObject({ coveredSeconds: 2, verified: false, rejected: 'jump' });

        // Playing on from where it landed counts again, from there.
        expect((await player.beat(6, 2700, 'play')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
        expect((await player.beat(7, 3200)).body).toMatchObject({ coveredSeconds: 3, rejected: null });
        expect((await viewerFor(campaignLong.id, user.id))?.rejections).toEqual({ ...NO_REJECTIONS, jump: 1 });
      },
    );

    it('should count nothing for a seek far ahead after a pause and a small seek back, as a seek does not resume the player', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaignLong.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000);
      expect((await player.beat(2, 1000)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(2, 1100, 'pause')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(1.5, 1200, 'seek')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      await sleep(1500);
      // 3.5 s ahead of the seek back: within what 1.5 s of playing at 2× and the tolerance could reach, but nothing played.
      const leap = await player.beat(5, 2700, 'seek');
      expect(leap.status).toBe(200);
      expect(leap.body).toMatchObject({ coveredSeconds: 2, verified: false, rejected: 'jump' });
      // Playing on from where it landed counts again, from there.
      expect((await player.beat(5, 2800, 'play')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(6, 3300)).body).toMatchObject({ coveredSeconds: 3, rejected: null });
      expect((await viewerFor(campaignLong.id, user.id))?.rejections).toEqual({ ...NO_REJECTIONS, jump: 1 });
    });

    it('should count ticks after a hidden page, as a background tab may go on playing', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaignLong.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000);
      expect((await player.beat(2, 1000)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      expect((await player.beat(2, 1100, 'hide')).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      await sleep(1500);
      // 3 s on after 1.5 s: more than the step tolerance, so a jump had the hide stopped the player.
      expect((await player.beat(5, 2600)).body).toMatchObject({ coveredSeconds: 5, rejected: null });
      expect((await viewerFor(campaignLong.id, user.id))?.rejections).toEqual(NO_REJECTIONS);
    });
  });

  describe('sessions on two devices', () => {
    it('should resume a second session from the checkpoint and make the first stale at its next checkpoint', async () => {
      const { user, token } = await staffOf(yicun);
      const phone = new Player(t, campaign6.id, token);
      await phone.start();
      const phoneStarted = performance.now();
      await phone.beat(0, 0, 'play');
      await sleep(1400);
      expect((await phone.beat(2.8, 1400)).body).toMatchObject({ coveredSeconds: 2, rejected: null });
      await sleep(Math.max(0, 3100 - (performance.now() - phoneStarted)));
      // A pause more than 3 s after the last checkpoint writes one.
      expect((await phone.beat(3, 3100, 'pause')).status).toBe(200);
      expect(await progressRow(campaign6.id, user.id)).toMatchObject({ coveredMs: 3000, positionMs: 3000, completedAt: null });

      const tablet = new Player(t, campaign6.id, token);
      const resumed = await tablet.start();
      expect(resumed.status).toBe(201);
      expect(resumed.body).toMatchObject({ resumeAtSeconds: 3, coveredSeconds: 3, verified: false });

      // The phone's heartbeats still answer until one is due for a checkpoint; completing is one.
      expect((await phone.beat(3.5, 3300, 'play')).status).toBe(200);
      const stale = await phone.beat(6, 4700, 'ended');
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe(ErrorCode.VIEWING_SESSION_STALE);
      expect(await progressRow(campaign6.id, user.id)).toMatchObject({ coveredMs: 3000, completedAt: null });

      const finished = await tablet.watchToEnd(6, 3);
      expect(finished.body).toMatchObject({ coveredSeconds: 6, verified: true, rejected: null });
      const viewer = (await viewersOf(campaign6.id, yicun.id)).find((v) => v.userId === user.id);
      expect(viewer).toMatchObject({ status: 'completed', percent: 100, rejections: { ...NO_REJECTIONS, stale_session: 1 } });
    });
  });

  describe('two first sessions at once', () => {
    it('should start both, keep one progress row and let only the newer one checkpoint', async () => {
      const { user, token } = await staffOf(yicun);
      const devices = [new Player(t, campaign4.id, token), new Player(t, campaign4.id, token)];
      const started = await Promise.all(devices.map((device) => device.start()));
      expect(started.map((r) => r.status)).toEqual([201, 201]);
      const rows = await t.dataSource.getRepository(ViewingProgressEntity).findBy({ campaignId: campaign4.id, userId: user.id });
      expect(rows).toHaveLength(1);

      const endings = await Promise.all(devices.map((device) => device.watchToEnd(4)));
      expect(endings.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(endings.find((r) => r.status === 409)?.body.code).toBe(ErrorCode.VIEWING_SESSION_STALE);
      expect(endings.find((r) => r.status === 200)?.body.verified).toBe(true);
    });
  });

  describe('tokens that are not this session’s', () => {
    it('should refuse a damaged, forged or re-signed token with 400 VIEWING_SESSION_INVALID', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign6.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      const [body, mac] = player.sessionToken.split('.');
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      claims[9] = [0, 6000]; // the covered intervals: all of it
      const inflated = `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`;
      const flipped = `${body}.${mac.slice(0, 10)}${mac[10] === 'A' ? 'B' : 'A'}${mac.slice(11)}`;
      const otherKey = new ViewingTokenCodec('another-secret-of-at-least-32-characters!!').sign(t.app.get(ViewingTokenCodec).verify(player.sessionToken)!);

      for (const sessionToken of [inflated, flipped, otherKey, body, `${player.sessionToken}.x`, '', 'not-a-token']) {
        const response = await player.beat(6, 500, 'ended', { sessionToken });
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 400, code: ErrorCode.VIEWING_SESSION_INVALID });
      }
      await sleep(600); // the server's clock must allow the second watched
      expect((await player.beat(1, 600)).body).toMatchObject({ coveredSeconds: 1, verified: false });
    });

    it('should refuse a token of another campaign with 400 VIEWING_SESSION_MISMATCH', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign4.id, token);
      await player.start();
      const response = await player.beat(0, 0, 'play', { campaignId: campaign6.id });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(ErrorCode.VIEWING_SESSION_MISMATCH);
    });

    it('should treat a session past its expiry as stale', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign6.id, token);
      await player.start();
      const codec = t.app.get(ViewingTokenCodec);
      const expired = codec.sign({ ...codec.verify(player.sessionToken)!, expiresAtMs: Date.now() - 1 });
      const response = await player.beat(0, 0, 'play', { sessionToken: expired });
      expect(response.status).toBe(409);
      expect(response.body.code).toBe(ErrorCode.VIEWING_SESSION_STALE);
    });
  });

  describe('bad input', () => {
    const raw = (player: Player, payload: string) =>
      t.request({ method: 'POST', url: `/api/viewing/campaigns/${player.campaignId}/heartbeats`, token: player.authToken, payload, headers: { 'content-type': 'application/json' } });

    it('should refuse malformed heartbeats with a 400 and a code, and count nothing from them', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaign4.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      await sleep(1000); // the server's clock must allow the 2 s watched in all
      expect((await player.beat(1, 500)).body.coveredSeconds).toBe(1);
      const good = player.sessionToken;
      const beat = (fields: object) => ({ sessionToken: good, position: 2, clientTimeMs: 1000, event: 'tick', ...fields });
      const { sessionToken: _omitted, ...withoutToken } = beat({});
      const { clientTimeMs: _clock, ...withoutClock } = beat({});
      const { event: _event, ...withoutEvent } = beat({});

      const cases: [string, unknown, ErrorCode][] = [
        ['a negative position', beat({ position: -1 }), ErrorCode.VALIDATION_FAILED],
        ['a position beyond the video', beat({ position: 6 }), ErrorCode.VIEWING_POSITION_INVALID],
        ['a position given as text', beat({ position: '2' }), ErrorCode.VALIDATION_FAILED],
        ['a null position', beat({ position: null }), ErrorCode.VALIDATION_FAILED],
        ['a position finer than a millisecond', beat({ position: 1.0001 }), ErrorCode.VALIDATION_FAILED],
        ['a clock that is not a whole number', beat({ clientTimeMs: 1000.5 }), ErrorCode.VALIDATION_FAILED],
        ['a negative clock', beat({ clientTimeMs: -1 }), ErrorCode.VALIDATION_FAILED],
        ['a clock given as text', beat({ clientTimeMs: '1000' }), ErrorCode.VALIDATION_FAILED],
        ['an unknown event', beat({ event: 'skip' }), ErrorCode.VALIDATION_FAILED],
        ['a token that is not text', beat({ sessionToken: 42 }), ErrorCode.VALIDATION_FAILED],
        ['a huge token', beat({ sessionToken: 'x'.repeat(5000) }), ErrorCode.VALIDATION_FAILED],
        ['an unknown field', beat({ coveredSeconds: 4 }), ErrorCode.VALIDATION_FAILED],
        ['no token', withoutToken, ErrorCode.VALIDATION_FAILED],
        ['no clock', withoutClock, ErrorCode.VALIDATION_FAILED],
        ['no event', withoutEvent, ErrorCode.VALIDATION_FAILED],
        ['an array', [beat({})], ErrorCode.VALIDATION_FAILED],
      ];
      const rowsBefore = await countRows(t.dataSource);
      for (const [what, body, code] of cases) {
        const response = await player.send(body);
        expect({ what, status: response.status, code: response.body?.code }).toEqual({ what, status: 400, code });
      }
      // NaN is not JSON; 1e999 parses to Infinity, which is not a position.
      expect((await raw(player, beatJson(good, 'NaN'))).body).toMatchObject({ code: ErrorCode.MALFORMED_JSON });
      expect((await raw(player, beatJson(good, '1e999'))).body).toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
      expect(await countRows(t.dataSource)).toEqual(rowsBefore);

      // The last good token goes on from 1 s: nothing above moved it, and nothing reached the database.
      expect((await player.beat(2, 1000)).body).toMatchObject({ coveredSeconds: 2, verified: false, rejected: null });
      expect(await mine(token, campaign4.id)).toMatchObject({ coveredSeconds: 0, verified: false });
      const viewer = (await viewersOf(campaign4.id, yicun.id)).find((v) => v.userId === user.id);
      expect(viewer?.rejections).toEqual(NO_REJECTIONS);
    });
  });

  describe('the end of the video', () => {
    it('should take a position up to one second past the end as the end, and refuse one beyond', async () => {
      const { token } = await staffOf(yicun);
      const player = new Player(t, campaign4.id, token);
      await player.start();
      await player.beat(3.5, 0, 'play');
      await sleep(300); // the server's clock must allow the last half second
      const beyond = await player.beat(5.001, 500, 'ended');
      expect({ status: beyond.status, code: beyond.body.code }).toEqual({ status: 400, code: ErrorCode.VIEWING_POSITION_INVALID });
      const end = await player.beat(5, 500, 'ended');
      expect(end.status).toBe(200);
      expect(end.body).toMatchObject({ coveredSeconds: 0, percent: 12, rejected: null });
    });
  });

  describe('rejection counts', () => {
    it('should count each kind of rejected heartbeat for the person who sent it, for their unit admin', async () => {
      const cheat = await staffOf(yicun, '一村可疑人员');
      const colleague = await staffOf(yicun, '一村同事');
      const colleaguePlayer = new Player(t, campaignLong.id, colleague.token);
      await colleaguePlayer.start();

      const first = new Player(t, campaignLong.id, cheat.token);
      await first.start();
      await first.beat(0, 0, 'play');
      expect((await first.beat(300, 200, 'seek')).body.rejected).toBe('jump');
      expect((await first.beat(300.2, 200, 'tick', { sessionToken: first.sessionToken })).status).toBe(409);
      const codec = t.app.get(ViewingTokenCodec);
      const expired = codec.sign({ ...codec.verify(first.sessionToken)!, expiresAtMs: Date.now() - 1 });
      expect((await first.beat(300.4, 400, 'tick', { sessionToken: expired })).status).toBe(409);

      const second = new Player(t, campaignLong.id, cheat.token);
      await second.start();
      await second.beat(0, 0, 'play');
      // A step the player's clock allows (2 × 60 s) that the server's clock does not.
      expect((await second.beat(120, 60_000)).body.rejected).toBe('run_ahead');
      const stolen = await second.beat(0, 0, 'play', { sessionToken: colleaguePlayer.sessionToken });
      expect(stolen.status).toBe(403);
      expect(stolen.body.code).toBe(ErrorCode.VIEWING_SESSION_FOREIGN);

      const viewers = await t.request({ method: 'GET', url: `/api/campaigns/${campaignLong.id}/units/${yicun.id}/viewers`, token: yicunAdmin });
      expect(viewers.status).toBe(200);
      const byId = new Map((viewers.body as ViewerStatusResponse[]).map((v) => [v.userId, v]));
      expect(byId.get(cheat.user.id)?.rejections).toEqual({ run_ahead: 1, jump: 1, duplicate: 1, stale_session: 1, wrong_user: 1 });
      // The token's owner did nothing wrong.
      expect(byId.get(colleague.user.id)?.rejections).toEqual(NO_REJECTIONS);
    });
  });

  describe('rejections at once', () => {
    it('should count rejected heartbeats that arrive together without losing one', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaign6.id, token);
      await player.start();
      await player.beat(0, 0, 'play');
      const jumps = await Promise.all([1, 2, 3, 4].map((n) => player.beat(5, 100 + n, 'seek', { sessionToken: player.sessionToken })));
      expect(jumps.map((r) => r.body.rejected)).toEqual(['jump', 'jump', 'jump', 'jump']);
      const viewer = (await viewersOf(campaign6.id, yicun.id)).find((v) => v.userId === user.id);
      expect(viewer?.rejections).toEqual({ ...NO_REJECTIONS, jump: 4 });
    });
  });

  describe('what heartbeats write', () => {
    it('should write nothing for accepted heartbeats that are not due for a checkpoint', async () => {
      const { user, token } = await staffOf(yicun);
      const player = new Player(t, campaignLong.id, token);
      await player.start();
      await sleep(800); // the server's clock must allow the 1.5 s watched below
      const rowsBefore = await countRows(t.dataSource);
      const progressBefore = await progressRow(campaignLong.id, user.id);
      const rejectionsBefore = await t.dataSource.getRepository(ViewingRejectionEntity).find();

      const beats: [number, number, 'play' | 'tick' | 'seek' | 'pause'][] = [
        [0, 0, 'play'],
        [0.5, 500, 'tick'],
        [1, 1000, 'tick'],
        [1.5, 1500, 'tick'],
        [0.2, 1600, 'seek'],
        [0.2, 1700, 'tick'],
      ];
      for (const [position, clientTimeMs, event] of beats) {
        const response = await player.beat(position, clientTimeMs, event);
        expect(response.status).toBe(200);
        expect(response.body.rejected).toBeNull();
      }
      expect((await player.beat(0.5, 1800)).body.coveredSeconds).toBe(1);

      expect(await countRows(t.dataSource)).toEqual(rowsBefore);
      expect(await progressRow(campaignLong.id, user.id)).toEqual(progressBefore);
      expect(await t.dataSource.getRepository(ViewingRejectionEntity).find()).toEqual(rejectionsBefore);
    });
  });

  describe('heads first', () => {
    it('should hold staff back until an admin of their unit has confirmed, and release them then', async () => {
      const head = await buildMember(t, ercun, Role.UNIT_ADMIN, { name: '二村支书' });
      const staff = await staffOf(ercun, '二村文书甲');
      const noHeadStaff = await staffOf(sancun, '三村文书');
      const campaign = await createCampaign('领导先学', video4, [ercun, sancun], [Role.UNIT_ADMIN, Role.STAFF], true);
      const headsFirstOf = async () => {
        const response = await call('GET', `/api/campaigns/${campaign.id}/progress`, admin);
        return Object.fromEntries((response.body as CampaignProgressResponse).units.map((u) => [u.unitName, u.headsFirst]));
      };

      expect(await mine(staff.token, campaign.id)).toMatchObject({ waitingForHead: true, status: 'pending' });
      const held = await new Player(t, campaign.id, staff.token).start();
      expect(held.status).toBe(409);
      expect(held.body.code).toBe(ErrorCode.VIEWING_WAITING_FOR_HEAD);
      // A unit without an admin holds nobody back.
      expect(await mine(noHeadStaff.token, campaign.id)).toMatchObject({ waitingForHead: false });
      expect((await new Player(t, campaign.id, noHeadStaff.token).start()).status).toBe(201);
      expect(await headsFirstOf()).toEqual({ 二村: 'waiting', 三村: 'no_admin' });

      expect(await mine(head.token, campaign.id)).toMatchObject({ waitingForHead: false });
      const headPlayer = new Player(t, campaign.id, head.token);
      expect((await headPlayer.start()).status).toBe(201);
      expect((await headPlayer.watchToEnd(4)).body.verified).toBe(true);
      // Verified is not enough: the head must confirm.
      expect((await new Player(t, campaign.id, staff.token).start()).status).toBe(409);
      expect((await checkIn(head.token, campaign.id)).status).toBe(201);

      expect(await mine(staff.token, campaign.id)).toMatchObject({ waitingForHead: false });
      expect((await new Player(t, campaign.id, staff.token).start()).status).toBe(201);
      expect(await headsFirstOf()).toEqual({ 二村: 'released', 三村: 'no_admin' });
      const plain = await call('GET', `/api/campaigns/${campaign4.id}/progress`, admin);
      expect(plain.body.units.map((u: { headsFirst: unknown }) => u.headsFirst)).toEqual([null]);
    });
  });
});

function beatJson(sessionToken: string, position: string): string {
  return `{"sessionToken":${JSON.stringify(sessionToken)},"position":${position},"clientTimeMs":1000,"event":"tick"}`;
}
