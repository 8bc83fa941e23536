import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ErrorCode, Role, UnitKind, type StartViewingResponse, type VideoResponse } from '@qmfz/contracts';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VideoEntity } from '../src/database/entities/index.js';
import { StreamLinks } from '../src/videos/stream-links.js';
import { buildMember, buildTownship, multipartForm, type FormPart } from './builders.js';
import { startTestApp, type TestApp, type TestResponse } from './harness.js';
import { DB_TIER } from './test-db.js';

const FIXTURE = readFileSync(fileURLToPath(new URL('../../miniapp/test/fixtures/test-video.webm', import.meta.url)));
/** Above the roster upload limit (2 MB, the multipart plugin's default), and still cheap to overrun. */
const MAX_BYTES = 3 * 1024 * 1024;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// ---- Bytes of videos that carry no duration (see src/videos/video-file.spec.ts for the full builders) ----

function ebml(id: number, ...body: Buffer[]): Buffer {
  const content = Buffer.concat(body);
  const hex = id.toString(16);
  return Buffer.concat([Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'), Buffer.from([0x80 | content.length]), content]);
}
const UNKNOWN_SIZE = Buffer.from('01ffffffffffffff', 'hex');
const EBML_HEADER = ebml(0x1a45dfa3, ebml(0x4286, Buffer.from([1])), ebml(0x4282, Buffer.from('webm')), ebml(0x4287, Buffer.from([4])));
/** What MediaRecorder writes: a Segment of unknown size whose Info has no Duration, then a Cluster. */
const WEBM_WITHOUT_DURATION = Buffer.concat([
  EBML_HEADER,
  Buffer.from('18538067', 'hex'),
  UNKNOWN_SIZE,
  ebml(0x1549a966, ebml(0x2ad7b1, Buffer.from([0x0f, 0x42, 0x40])), ebml(0x4d80, Buffer.from('test'))),
  Buffer.from('1f43b675', 'hex'),
  UNKNOWN_SIZE,
  ebml(0xe7, Buffer.from([0])),
  Buffer.alloc(2000, 7),
]);
const box = (type: string, body: Buffer) => Buffer.concat([Buffer.from([0, 0, (8 + body.length) >> 8, (8 + body.length) & 0xff]), Buffer.from(type), body]);
/** An MP4 cut before its moov box: a type box and media, no movie header. */
const MP4_WITHOUT_MOOV = Buffer.concat([box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41', 'latin1')), box('mdat', Buffer.alloc(3000, 0xa5))]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c636000000002000154a24f5d0000000049454e44ae426082', 'hex');

const file = (content: Buffer, filename = 'video.webm', contentType = 'video/webm'): FormPart => ({ name: 'file', filename, contentType, content });
const field = (name: string, value: string): FormPart => ({ name, value });

describe(`videos: uploads checked by content and signed stream links (${DB_TIER})`, () => {
  let t: TestApp;
  let videoDir: string;
  let admin: string;
  let unitAdmin: string;
  let staff: string;
  let uploaded: VideoResponse;
  let session: StartViewingResponse;

  const upload = (parts: FormPart[], token = admin) => t.request({ method: 'POST', url: '/api/videos', token, ...multipartForm(parts) });
  const filesInVideoDir = () => readdirSync(videoDir).sort();
  const videoRows = () => t.dataSource.getRepository(VideoEntity).count();
  /** Runs a refused upload and checks it left no file (not even a temporary one) and no row behind. */
  async function refusedUpload(parts: FormPart[]): Promise<TestResponse> {
    const files = filesInVideoDir();
    const rows = await videoRows();
    const response = await upload(parts);
    expect(filesInVideoDir()).toEqual(files);
    expect(await videoRows()).toBe(rows);
    return response;
  }
  const get = (url: string, headers: Record<string, string> = {}) => t.request({ method: 'GET', url, headers });
  const bytesOf = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(t.baseUrl + url, { headers });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: Buffer.from(await response.arrayBuffer()) };
  };

  beforeAll(async () => {
    videoDir = mkdtempSync(join(tmpdir(), 'qmfz-videos-'));
    t = await startTestApp({ env: { VIDEO_DIR: videoDir, VIDEO_MAX_BYTES: String(MAX_BYTES) } });
    const town = await buildTownship(t.dataSource, 'shipin', '视频乡', [
      { name: '视频乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '视频村', kind: UnitKind.VILLAGE },
    ]);
    admin = (await buildMember(t, town.units['视频乡平安办'], Role.TOWNSHIP_ADMIN, { name: '平安办' })).token;
    unitAdmin = (await buildMember(t, town.units['视频村'], Role.UNIT_ADMIN, { name: '视频村支书' })).token;
    staff = (await buildMember(t, town.units['视频村'], Role.STAFF, { name: '视频村文书' })).token;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(videoDir, { recursive: true, force: true });
  });

  describe('external videos', () => {
    it('should create an external video with the duration and size the admin gives', async () => {
      const response = await t.request({
        method: 'POST',
        url: '/api/videos/external',
        token: admin,
        body: { title: '反诈宣传片', url: 'https://video.example.cn/fanzha.mp4', durationSeconds: 5, sizeBytes: 1234 },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(ULID),
        title: '反诈宣传片',
        source: 'url',
        url: 'https://video.example.cn/fanzha.mp4',
        contentType: null,
        durationSeconds: 5,
        sizeBytes: 1234,
        createdAt: expect.any(String),
      });
      expect(filesInVideoDir()).toEqual([]);
    });

    it.each([
      ['a javascript: link', { url: 'javascript:alert(1)' }],
      ['an ftp link', { url: 'ftp://video.example.cn/a.mp4' }],
      ['a link without a scheme', { url: 'video.example.cn/a.mp4' }],
      ['a duration of zero', { durationSeconds: 0 }],
      ['a duration over three hours', { durationSeconds: 3 * 3600 + 1 }],
      ['a fractional duration', { durationSeconds: 4.5 }],
      ['no title', { title: undefined }],
      ['an unknown field', { storageKey: '../../etc/passwd' }],
    ])('should refuse %s with 400 VALIDATION_FAILED and store nothing', async (_what, change) => {
      const rows = await videoRows();
      const body = { title: '片子', url: 'https://video.example.cn/a.mp4', durationSeconds: 5, ...change };
      const response = await t.request({ method: 'POST', url: '/api/videos/external', token: admin, body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(await videoRows()).toBe(rows);
    });
  });

  describe('uploads', () => {
    it('should store an uploaded WebM under a name of its own and read its duration from the file', async () => {
      const response = await upload([field('title', '六秒测试片'), file(FIXTURE, '../../我的视频.webm')]);
      expect(response.status).toBe(201);
      uploaded = response.body;
      expect(uploaded).toEqual({
        id: expect.stringMatching(ULID),
        title: '六秒测试片',
        source: 'upload',
        url: null,
        contentType: 'video/webm',
        durationSeconds: 6,
        sizeBytes: FIXTURE.length,
        createdAt: expect.any(String),
      });
      const row = await t.dataSource.getRepository(VideoEntity).findOneByOrFail({ id: uploaded.id });
      expect(row.durationMs).toBeGreaterThan(5500);
      expect(row.durationMs).toBeLessThan(6500);
      expect(filesInVideoDir()).toEqual([row.storageKey]);
      expect(row.storageKey).toMatch(/^[0-9A-Z]{26}\.webm$/);
      expect(readFileSync(join(videoDir, row.storageKey!)).equals(FIXTURE)).toBe(true);
    });

    it('should accept the fields in any order, judge the file by its bytes and list uploads newest first', async () => {
      const response = await upload([file(FIXTURE, 'poster.png', 'image/png'), field('title', '字段在后')]);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ contentType: 'video/webm', durationSeconds: 6 });
      const list = await t.request({ method: 'GET', url: '/api/videos', token: admin });
      expect(list.status).toBe(200);
      expect(list.body.map((v: VideoResponse) => v.title).slice(0, 2)).toEqual(['字段在后', '六秒测试片']);
    });

    it('should take the duration from the form when the file carries none, and insist on it otherwise', async () => {
      const refused = await refusedUpload([field('title', '录屏'), file(WEBM_WITHOUT_DURATION)]);
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe(ErrorCode.VIDEO_DURATION_REQUIRED);
      const mp4 = await refusedUpload([field('title', '半截 MP4'), file(MP4_WITHOUT_MOOV, 'cut.mp4', 'video/mp4')]);
      expect(mp4.status).toBe(400);
      expect(mp4.body.code).toBe(ErrorCode.VIDEO_DURATION_REQUIRED);

      const given = await upload([field('title', '录屏'), field('durationSeconds', '7'), file(WEBM_WITHOUT_DURATION)]);
      expect(given.status).toBe(201);
      expect(given.body).toMatchObject({ contentType: 'video/webm', durationSeconds: 7, sizeBytes: WEBM_WITHOUT_DURATION.length });
    });

    it('should refuse a PNG named and typed as MP4 with 400 VIDEO_FILE_INVALID, leaving no file and no row', async () => {
      const response = await refusedUpload([field('title', '假视频'), file(PNG, 'cat.mp4', 'video/mp4')]);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe(ErrorCode.VIDEO_FILE_INVALID);
    });

    it('should accept a file of exactly VIDEO_MAX_BYTES, above the roster limit', async () => {
      const largest = Buffer.concat([FIXTURE, Buffer.alloc(MAX_BYTES - FIXTURE.length, 1)]);
      const response = await upload([field('title', '刚好最大'), file(largest)]);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ sizeBytes: MAX_BYTES, durationSeconds: 6 });
    });

    it('should refuse a file one byte over VIDEO_MAX_BYTES with 413, leaving no file and no row', async () => {
      const tooBig = Buffer.concat([FIXTURE, Buffer.alloc(MAX_BYTES - FIXTURE.length + 1, 1)]);
      const response = await refusedUpload([field('title', '太大了'), file(tooBig)]);
      expect(response.status).toBe(413);
      expect(response.body.code).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    });

    it.each([
      ['no file', [field('title', '没有文件')], 400, ErrorCode.VIDEO_FILE_INVALID],
      ['an empty file', [field('title', '空文件'), file(Buffer.alloc(0))], 400, ErrorCode.VIDEO_FILE_INVALID],
      ['the file under another field name', [field('title', '字段错'), { ...file(FIXTURE), name: 'video' }], 400, ErrorCode.VIDEO_FILE_INVALID],
      ['two files', [field('title', '两个文件'), file(FIXTURE), file(FIXTURE, 'b.webm')], 413, ErrorCode.PAYLOAD_TOO_LARGE],
      ['no title', [file(FIXTURE)], 400, ErrorCode.VALIDATION_FAILED],
      ['a title with a line break', [field('title', '第一行\n第二行'), file(FIXTURE)], 400, ErrorCode.VALIDATION_FAILED],
      ['a duration that is not a number', [field('title', '时长错'), field('durationSeconds', 'six'), file(WEBM_WITHOUT_DURATION)], 400, ErrorCode.VALIDATION_FAILED],
      ['a duration over three hours', [field('title', '时长错'), field('durationSeconds', '10801'), file(WEBM_WITHOUT_DURATION)], 400, ErrorCode.VALIDATION_FAILED],
      ['an unknown field', [field('title', '多字段'), field('storageKey', 'x.webm'), file(FIXTURE)], 400, ErrorCode.VALIDATION_FAILED],
    ] as [string, FormPart[], number, ErrorCode][])('should refuse an upload with %s, leaving nothing behind', async (_what, parts, status, code) => {
      const response = await refusedUpload(parts);
      expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
    });

    it('should refuse a body that is not multipart with 415 and a cut-off multipart body with 400, leaving nothing behind', async () => {
      const json = await t.request({ method: 'POST', url: '/api/videos', token: admin, body: { title: 'json' } });
      expect(json.status).toBe(415);
      expect(json.body.code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);

      const files = filesInVideoDir();
      const whole = multipartForm([field('title', '断了'), file(FIXTURE)]);
      const cut = await t.request({ method: 'POST', url: '/api/videos', token: admin, payload: whole.payload.subarray(0, 5000), headers: whole.headers });
      expect({ status: cut.status, code: cut.body?.code }).toEqual({ status: 400, code: ErrorCode.VIDEO_FILE_INVALID });
      expect(filesInVideoDir()).toEqual(files);
    });

    it('should refuse uploads by anyone but a township admin with 403, leaving nothing behind', async () => {
      for (const token of [unitAdmin, staff]) {
        const files = filesInVideoDir();
        const rows = await videoRows();
        const response = await upload([field('title', '越权'), file(FIXTURE)], token);
        expect({ status: response.status, code: response.body.code }).toEqual({ status: 403, code: ErrorCode.FORBIDDEN });
        expect(filesInVideoDir()).toEqual(files);
        expect(await videoRows()).toBe(rows);
      }
    });
  });

  describe('stream links', () => {
    it('should hand out a signed link with a viewing session, which streams the bytes without a bearer token', async () => {
      const deadline = new Date(Date.now() + 3600_000).toISOString();
      const units = await t.request({ method: 'GET', url: '/api/units', token: admin });
      const village = units.body.find((u: { name: string }) => u.name === '视频村');
      const campaign = await t.request({
        method: 'POST',
        url: '/api/campaigns',
        token: admin,
        body: { title: '看上传的片子', videoId: uploaded.id, deadline, unitIds: [village.id], roles: ['staff'], headsFirst: false },
      });
      expect(campaign.status).toBe(201);
      const started = await t.request({ method: 'POST', url: `/api/viewing/campaigns/${campaign.body.id}/sessions`, token: staff });
      expect(started.status).toBe(201);
      session = started.body;
      expect(session.videoUrl).toMatch(new RegExp(`^/api/videos/${uploaded.id}/stream\\?exp=\\d+&sig=[\\w-]+$`));
      expect(session.durationSeconds).toBeCloseTo(6, 0);

      const whole = await bytesOf(session.videoUrl);
      expect(whole.status).toBe(200);
      expect(whole.headers['content-type']).toBe('video/webm');
      expect(whole.headers['accept-ranges']).toBe('bytes');
      expect(Number(whole.headers['content-length'])).toBe(FIXTURE.length);
      expect(whole.body.equals(FIXTURE)).toBe(true);
    });

    it('should answer a byte range with 206 and its content-range', async () => {
      const first = await bytesOf(session.videoUrl, { range: 'bytes=0-99' });
      expect(first.status).toBe(206);
      expect(first.headers['content-range']).toBe(`bytes 0-99/${FIXTURE.length}`);
      expect(first.body.equals(FIXTURE.subarray(0, 100))).toBe(true);

      const tail = await bytesOf(session.videoUrl, { range: 'bytes=-10' });
      expect(tail.status).toBe(206);
      expect(tail.headers['content-range']).toBe(`bytes ${FIXTURE.length - 10}-${FIXTURE.length - 1}/${FIXTURE.length}`);
      expect(tail.body.equals(FIXTURE.subarray(-10))).toBe(true);

      const open = await bytesOf(session.videoUrl, { range: `bytes=${FIXTURE.length - 5}-` });
      expect(open.status).toBe(206);
      expect(open.body.equals(FIXTURE.subarray(-5))).toBe(true);
    });

    it('should ignore a range in another unit or several ranges and send the whole file', async () => {
      for (const range of ['items=0-5', 'bytes=0-1,5-6']) {
        const response = await bytesOf(session.videoUrl, { range });
        expect({ range, status: response.status, length: response.body.length }).toEqual({ range, status: 200, length: FIXTURE.length });
      }
    });

    it('should answer a range beyond the end with 416 and the size', async () => {
      const response = await bytesOf(session.videoUrl, { range: `bytes=${FIXTURE.length}-` });
      expect(response.status).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${FIXTURE.length}`);
      expect(response.body.length).toBe(0);
    });

    it('should refuse a tampered, moved, incomplete or expired link with 403 VIDEO_LINK_INVALID', async () => {
      const url = new URL(session.videoUrl, t.baseUrl);
      const exp = url.searchParams.get('exp')!;
      const sig = url.searchParams.get('sig')!;
      const other = (await t.request({ method: 'POST', url: '/api/videos/external', token: admin, body: { title: '别的', url: 'https://v.example.cn/b.mp4', durationSeconds: 5 } })).body;
      const flipped = `${sig.slice(0, 5)}${sig[5] === 'A' ? 'B' : 'A'}${sig.slice(6)}`;
      const links = t.app.get(StreamLinks);
      const refused = [
        `/api/videos/${uploaded.id}/stream?exp=${exp}&sig=${flipped}`,
        `/api/videos/${uploaded.id}/stream?exp=${Number(exp) + 3600}&sig=${sig}`,
        `/api/videos/${other.id}/stream?exp=${exp}&sig=${sig}`,
        `/api/videos/${uploaded.id}/stream?exp=${exp}`,
        `/api/videos/${uploaded.id}/stream?sig=${sig}`,
        `/api/videos/${uploaded.id}/stream`,
        links.path(uploaded.id, Date.now() - 2000),
      ];
      for (const link of refused) {
        const response = await get(link);
        expect({ link, status: response.status, code: response.body?.code }).toEqual({ link, status: 403, code: ErrorCode.VIDEO_LINK_INVALID });
        expect(response.text).not.toContain(uploaded.title);
      }
    });

    it('should answer a valid link to a video with no stored file with 404 VIDEO_NOT_FOUND', async () => {
      const external = (await t.request({ method: 'GET', url: '/api/videos', token: admin })).body.find((v: VideoResponse) => v.source === 'url');
      const response = await get(t.app.get(StreamLinks).path(external.id, Date.now() + 60_000));
      expect(response.status).toBe(404);
      expect(response.body.code).toBe(ErrorCode.VIDEO_NOT_FOUND);
    });
  });
});
