import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, UnitKind, type CreateTipRequest, type TipListResponse } from '@qmfz/contracts';
import ExcelJS from 'exceljs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { TipRetention } from '../src/tips/retention.js';
import { buildMember, multipartUpload, buildTownship, type BuiltTownship } from './builders.js';
import { startTestApp, type RequestOptions, type TestApp, type TestResponse } from './harness.js';
import { FakeWechat } from './support/fake-wechat.js';
import { cardNumber, jpegFixture, randomIp, tipRequest } from './support/tips.js';
import { DB_TIER } from './test-db.js';

/**
 * A realistic run of 有奖举报 through the HTTP API — named and anonymous tips, suspects' cards, payment accounts and
 * phones, additions and police replies that quote phone numbers, rewards claimed, approved by a second person,
 * revealed and paid, then the retention job — after which every row of every table the database holds, every tip
 * file and every log line is searched for the plaintext: none may be there. Responses are searched too: only the
 * approver's reveal may carry a reporter's or claimant's full phone or name.
 */

const RETENTION_DAYS = 30;
const DAY = 24 * 3600_000;

// Reporters and claimants: their phones and names are revealed to the approver and nobody else.
const NAMED_TYPED = { name: '赵六举报人', typed: '+86 158-0011-2233', phone: '15800112233' };
const NAMED_WECHAT = { name: '钱七举报人', phone: '15900223344' };
const CLAIMANT_TYPED = { name: '孙八申领人', typed: '186 1122 3344', phone: '18611223344' };
const CLAIMANT_WECHAT = { name: '周九申领人', phone: '18922334455' };
const IDENTITIES: { name: string; phone: string; typed?: string }[] = [NAMED_TYPED, NAMED_WECHAT, CLAIMANT_TYPED, CLAIMANT_WECHAT];

// Suspects' accounts: police see them in a tip's detail; stored only as ciphertext, blind index and mask.
const CARD_SPACED = spaced(cardNumber('622202', 16));
const CARD_PLAIN = cardNumber('621700', 19);
const PAY_EMAIL = 'Pianzi.Pay@Example.com';
const PAY_PHONE = '133 9876 5432';
const PAY_ACCOUNT = 'zhifu_pianzi_8821';
const SUSPECT_PHONES = ['177 1234 5678', '+86 176-5555-0101'];

// Phones quoted in free text the reporter and police write to each other.
const ADDITION_PHONE = '175 4321 0987';
const REPLY_PHONE = '13577776666';

const REWARD_REASON = '线索属实，协助冻结涉案账户';

function spaced(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}
const digitsOf = (value: string) => value.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
/** Separators people type inside numbers; removed from the haystack too, so any spelling of a number is found. */
const squash = (text: string) => text.replace(/[\s\-().+]/g, '');

interface Secret {
  what: string;
  value: string;
}

/** Every spelling worth searching for: as typed, digits only, and (for text) lower-cased. */
function spellings(what: string, value: string): Secret[] {
  const forms = new Set([value, squash(value)]);
  if (/\d{7,}/.test(squash(value)) && /^[\d\s\-().+]+$/.test(value)) forms.add(digitsOf(value)).add(spaced(digitsOf(value)));
  if (/[A-Z]/.test(value)) forms.add(value.toLowerCase());
  return [...forms].map((form) => ({ what, value: form }));
}

/** Which of the secrets occur in the text, in any spelling. */
function found(text: string, secrets: Secret[]): string[] {
  const squashed = squash(text);
  const lower = text.toLowerCase();
  return [...new Set(secrets.filter((s) => text.includes(s.value) || lower.includes(s.value.toLowerCase()) || squashed.includes(squash(s.value))).map((s) => `${s.what}: ${s.value}`))];
}

/** Every table the database itself lists for the current schema, not only the ones an entity maps. */
async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'better-sqlite3'
      ? await dataSource.query("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await dataSource.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'");
  return rows.map((row) => row.name);
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return `${value.toString('utf8')}\u0001${value.toString('latin1')}`;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe(`tips: no plaintext identity in the database, files, logs or responses (${DB_TIER})`, () => {
  let t: TestApp;
  let wechat: FakeWechat;
  let filesDir: string;
  let town: BuiltTownship;
  const logs: string[] = [];
  /** Every response of the run, with its route (ids replaced by `{id}`) and its text (for XLSX: the cells). */
  const seen: { route: string; text: string }[] = [];
  const tokens: Record<string, string> = {};
  const receipts: string[] = [];
  /** What the database held before and after the retention job. */
  const dumps: { label: string; tables: Record<string, string>; files: Record<string, string> }[] = [];
  let identitiesErased = 0;

  const identitySecrets = IDENTITIES.flatMap((who) => [
    ...spellings('reporter or claimant phone', who.phone),
    ...(who.typed ? spellings('reporter or claimant phone as typed', who.typed) : []),
    ...spellings('reporter or claimant name', who.name),
  ]);
  const accountSecrets = [
    ...spellings('bank card', CARD_SPACED),
    ...spellings('bank card', CARD_PLAIN),
    ...spellings('payment account', PAY_EMAIL),
    ...spellings('payment account', PAY_PHONE),
    ...spellings('payment account', PAY_ACCOUNT),
    ...SUSPECT_PHONES.flatMap((phone) => spellings('suspect phone', phone)),
  ];
  const textSecrets = [...spellings('phone in an addition', ADDITION_PHONE), ...spellings('phone in a police reply', REPLY_PHONE)];
  const storedSecrets = () => [...identitySecrets, ...accountSecrets, ...textSecrets, ...receipts.flatMap((code) => spellings('receipt code', code))];

  const routeOf = (method: string, url: string) => `${method} ${url.split('?')[0].replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '{id}')}`;
  async function call(method: RequestOptions['method'], url: string, who?: string, body?: unknown, expected?: number): Promise<TestResponse> {
    const response = await t.request({ method, url, body, token: who ? tokens[who] : undefined, headers: { 'x-forwarded-for': randomIp() } });
    seen.push({ route: routeOf(method, url), text: response.text });
    if (expected !== undefined && response.status !== expected) throw new Error(`${method} ${url}: ${response.status} ${response.text}`);
    return response;
  }
  async function submit(who: string, overrides: Partial<CreateTipRequest> & Record<string, unknown>): Promise<{ id: string; receiptCode: string }> {
    const { receiptCode } = (await call('POST', '/api/tips', who, tipRequest(overrides), 201)).body;
    receipts.push(receiptCode);
    await call('POST', '/api/tips/follow-up', undefined, { receiptCode }, 200);
    // Police find it in their list: the newest tip.
    const list = (await call('GET', '/api/tips?limit=1', 'police', undefined, 200)).body as TipListResponse;
    return { id: list.items[0].id, receiptCode };
  }
  async function upload(who: string, bytes: Buffer): Promise<string> {
    const response = await t.request({ method: 'POST', url: '/api/tips/attachments', token: tokens[who], ...multipartUpload(bytes, { filename: 'screenshot.jpg', contentType: 'image/jpeg' }) });
    seen.push({ route: 'POST /api/tips/attachments', text: response.text });
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${response.text}`);
    return response.body.id;
  }
  /** An officer verifies the tip, finds it valid and decides a reward. */
  async function validateAndDecide(tipId: string, officer: string): Promise<void> {
    await call('PATCH', `/api/tips/${tipId}`, officer, { status: 'verifying', labels: ['涉卡'] }, 200);
    await call('PATCH', `/api/tips/${tipId}`, officer, { status: 'valid' }, 200);
    await call('GET', `/api/tips/${tipId}`, officer, undefined, 200);
    await call('PUT', `/api/tips/${tipId}/reward`, officer, { tier: 'second', reason: REWARD_REASON }, 201);
  }
  async function dump(label: string): Promise<void> {
    const tables: Record<string, string> = {};
    for (const name of await tableNames(t.dataSource)) {
      const rows: Record<string, unknown>[] = await t.dataSource.query(`SELECT * FROM ${t.dataSource.driver.escape(name)}`);
      tables[name] = rows.map((row) => Object.entries(row).map(([column, value]) => `${column}=${cellText(value)}`).join('\u0001')).join('\n');
    }
    const files: Record<string, string> = {};
    for (const path of filesUnder(filesDir)) {
      const bytes = readFileSync(path);
      files[path] = `${bytes.toString('utf8')}\u0001${bytes.toString('latin1')}`;
    }
    // SQLite: the database file itself too, with its journal, so nothing hides in a page no row points at.
    if (t.config.database.type === 'sqlite') {
      for (const path of [t.config.database.sqlitePath, `${t.config.database.sqlitePath}-wal`, `${t.config.database.sqlitePath}-journal`].filter(existsSync)) {
        files[path] = readFileSync(path).toString('latin1');
      }
    }
    dumps.push({ label, tables, files });
  }

  beforeAll(async () => {
    filesDir = join(mkdtempSync(join(tmpdir(), 'qmfz-privacy-')), 'files');
    wechat = await FakeWechat.start();
    t = await startTestApp({
      env: { TIP_FILES_DIR: filesDir, TIP_IDENTITY_RETENTION_DAYS: String(RETENTION_DAYS), ...wechat.env(2000) },
      logStream: { write: (line) => void logs.push(line) },
    });
    town = await buildTownship(t.dataSource, 'yinsi', '隐私乡', [
      { name: '隐私乡平安办', kind: UnitKind.TOWNSHIP_OFFICE },
      { name: '隐私派出所', kind: UnitKind.POLICE_STATION },
      { name: '一村', kind: UnitKind.VILLAGE },
    ]);
    const [office, station, yicun] = [town.units['隐私乡平安办'], town.units['隐私派出所'], town.units['一村']];
    const people: [string, typeof office, Role | null, string][] = [
      ['r1', yicun, null, '居民一'],
      ['r2', yicun, null, '居民二'],
      ['r3', yicun, null, '居民三'],
      ['r4', yicun, null, '居民四'],
      ['police', station, Role.POLICE, '民警甲'],
      ['police2', station, Role.POLICE, '民警乙'],
      ['admin', office, Role.TOWNSHIP_ADMIN, '审批人张'],
      ['admin2', office, Role.TOWNSHIP_ADMIN, '审批人李'],
    ];
    for (const [key, unit, role, name] of people) tokens[key] = (await buildMember(t, unit, role, { name })).token;

    // A screenshot whose JPEG comment quotes the reporter; the upload must strip it.
    const photo = jpegWithComment(`拍摄者 ${NAMED_WECHAT.name} ${NAMED_WECHAT.phone} ${CARD_PLAIN}`);

    // 1. A named tip, phone typed, about a card and a payment e-mail.
    const typed = await submit('r1', {
      reporter: { mode: 'named', name: NAMED_TYPED.name, phone: NAMED_TYPED.typed },
      identifiers: [
        { kind: 'bank_card', value: CARD_SPACED },
        { kind: 'payment_account', value: PAY_EMAIL },
      ],
      unitId: yicun.id,
    });
    // 2. A named tip, phone from WeChat's getPhoneNumber, with the screenshot; it stays open (retention keeps it).
    const byWechat = await submit('r2', {
      reporter: { mode: 'named', name: NAMED_WECHAT.name, phoneCode: `phone-${NAMED_WECHAT.phone}` },
      identifiers: [{ kind: 'phone', value: SUSPECT_PHONES[0] }],
      attachmentIds: [await upload('r2', photo)],
    });
    // 3 and 4. Anonymous tips naming cards, payment accounts and phones.
    const anonymous = await submit('r3', {
      identifiers: [
        { kind: 'bank_card', value: CARD_PLAIN },
        { kind: 'payment_account', value: PAY_PHONE },
        { kind: 'phone', value: SUSPECT_PHONES[1] },
      ],
    });
    const rejected = await submit('r4', {
      identifiers: [
        { kind: 'payment_account', value: PAY_ACCOUNT },
        { kind: 'bank_card', value: CARD_SPACED },
      ],
    });
    // An upload no tip claims: the retention job deletes it.
    await upload('r4', photo);

    // The reporter adds to their tip; police reply; both quote a phone.
    await call('POST', '/api/tips/follow-up/additions', undefined, { receiptCode: anonymous.receiptCode, text: `补充：对方又用 ${ADDITION_PHONE} 打来电话。` }, 200);
    await call('POST', `/api/tips/${anonymous.id}/replies`, 'police', { body: `已受理，如有新情况请拨打 ${REPLY_PHONE} 联系民警。` }, 201);
    const image = (await call('GET', `/api/tips/${byWechat.id}`, 'police', undefined, 200)).body.attachments[0].id;
    const link = (await call('POST', `/api/tips/${byWechat.id}/attachments/${image}/link`, 'police', undefined, 200)).body.url;
    const served = Buffer.from(await (await fetch(new URL(link, t.baseUrl))).arrayBuffer());
    seen.push({ route: 'GET /api/tips/attachments/{id}/content', text: served.toString('latin1') });

    // Rewards: anonymous, claimed with a typed phone, approved by an admin, revealed, paid.
    await validateAndDecide(anonymous.id, 'police');
    await call('POST', '/api/tips/follow-up/claim', undefined, { receiptCode: anonymous.receiptCode, name: CLAIMANT_TYPED.name, phone: CLAIMANT_TYPED.typed }, 200);
    await call('POST', '/api/tips/follow-up', undefined, { receiptCode: anonymous.receiptCode }, 200);
    await call('POST', `/api/rewards/${anonymous.id}/approve`, 'admin', { note: '同意发放' }, 200);
    await call('POST', `/api/rewards/${anonymous.id}/reveal`, 'admin', undefined, 200);
    await call('POST', `/api/rewards/${anonymous.id}/paid`, 'admin', undefined, 200);
    // Named, the phone typed: claimed with the code alone, approved by the second admin, revealed, paid.
    await validateAndDecide(typed.id, 'police2');
    await call('POST', '/api/tips/follow-up/claim', undefined, { receiptCode: typed.receiptCode }, 200);
    await call('POST', `/api/rewards/${typed.id}/approve`, 'admin2', {}, 200);
    await call('POST', `/api/rewards/${typed.id}/reveal`, 'admin2', undefined, 200);
    await call('POST', `/api/rewards/${typed.id}/paid`, 'admin2', undefined, 200);
    // Anonymous, claimed through WeChat's phone number, then rejected.
    await validateAndDecide(rejected.id, 'police');
    await call('POST', '/api/tips/follow-up/claim', undefined, { receiptCode: rejected.receiptCode, name: CLAIMANT_WECHAT.name, phoneCode: `phone-${CLAIMANT_WECHAT.phone}` }, 200);
    await call('POST', `/api/rewards/${rejected.id}/reject`, 'admin', { note: '线索与本案无关' }, 200);

    // What the screens read.
    for (const who of ['police', 'admin']) {
      await call('GET', '/api/rewards', who, undefined, 200);
      await call('GET', `/api/rewards/tallies?period=month&from=${shanghaiDate(-31)}&to=${shanghaiDate(1)}`, who, undefined, 200);
      await exportTallies(who);
    }
    await call('GET', '/api/tips?limit=100', 'police', undefined, 200);
    for (const tip of [typed, byWechat, anonymous, rejected]) {
      await call('GET', `/api/tips/${tip.id}`, 'police2', undefined, 200);
      // The tip without a reward has no trail: 404 REWARD_NOT_FOUND, like every reward route.
      await call('GET', `/api/rewards/${tip.id}/audit`, 'admin', undefined, tip === byWechat ? 404 : 200);
      await call('POST', '/api/tips/follow-up', undefined, { receiptCode: tip.receiptCode }, 200);
    }
    await dump('before retention');

    // The retention job, run as if its days had passed: identities of closed, settled tips go; so does the stray upload.
    identitiesErased = (await t.app.get(TipRetention).run(new Date(Date.now() + (RETENTION_DAYS + 2) * DAY))).identitiesErased;
    for (const tip of [anonymous, typed]) await call('POST', `/api/rewards/${tip.id}/reveal`, tip === typed ? 'admin2' : 'admin', undefined, 200);
    await call('GET', '/api/rewards', 'admin', undefined, 200);
    await dump('after retention');
  });
  afterAll(async () => {
    await t?.close();
    await wechat?.close();
    rmSync(join(filesDir, '..'), { recursive: true, force: true });
  });

  async function exportTallies(who: string): Promise<void> {
    const url = `/api/rewards/tallies/export?period=week&from=${shanghaiDate(-14)}&to=${shanghaiDate(1)}`;
    const response = await fetch(t.baseUrl + url, { headers: { authorization: `Bearer ${tokens[who]}` } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    seen.push({ route: routeOf('GET', url), text: JSON.stringify(workbook.worksheets.map((sheet) => sheet.getSheetValues())) });
  }

  it('should have run the whole flow: every table listed by the database dumped, tip files written, identities erased', () => {
    const [before] = dumps;
    const entityTables = t.dataSource.entityMetadatas.map((metadata) => metadata.tableName);
    expect(Object.keys(before.tables)).toEqual(expect.arrayContaining([...entityTables, 'migrations']));
    for (const table of ['tips', 'tip_identifiers', 'tip_events', 'tip_attachments', 'tip_rewards', 'audit_log']) expect(before.tables[table].length).toBeGreaterThan(0);
    expect(Object.keys(before.files).filter((path) => path.startsWith(filesDir))).toHaveLength(2);
    expect(Object.keys(dumps[1].files).filter((path) => path.startsWith(filesDir))).toHaveLength(1);
    expect(identitiesErased).toBe(3);
    // The search can see what is stored in plaintext: the masked forms and the reward's reason.
    const everything = Object.values(before.tables).join('\n');
    for (const visible of ['158****2233', '159****3344', '186****3344', '6222 **** **** ' + CARD_SPACED.slice(-4), REWARD_REASON]) expect(everything).toContain(visible);
  });

  it('should leave no reporter or claimant phone or name, card, payment account, quoted phone or receipt code in any row of any table', () => {
    for (const { label, tables } of dumps) {
      const hits = Object.entries(tables).flatMap(([table, text]) => found(text, storedSecrets()).map((hit) => `${label}, ${table}: ${hit}`));
      expect(hits).toEqual([]);
    }
  });

  it('should leave none of them in any tip file (nor, on SQLite, anywhere in the database file)', () => {
    for (const { label, files } of dumps) {
      const hits = Object.entries(files).flatMap(([path, text]) => found(text, storedSecrets()).map((hit) => `${label}, ${path}: ${hit}`));
      expect(hits).toEqual([]);
    }
  });

  it('should write none of them, nor the WeChat phone codes, into the logs', () => {
    expect(logs.length).toBeGreaterThan(100);
    const codes = [NAMED_WECHAT, CLAIMANT_WECHAT].map((who) => ({ what: 'WeChat phone code', value: `phone-${who.phone}` }));
    const hits = logs.flatMap((line) => found(line, [...storedSecrets(), ...codes]).map((hit) => `${hit} in ${line}`));
    expect(hits).toEqual([]);
  });

  it('should show a full reporter or claimant phone or name in no response but the approver’s reveal', () => {
    const carrying = seen.filter((response) => found(response.text, identitySecrets).length > 0).map((response) => response.route);
    expect([...new Set(carrying)]).toEqual(['POST /api/rewards/{id}/reveal']);
    // Both reveals before retention carried an identity; those after it carried none.
    const reveals = seen.filter((response) => response.route === 'POST /api/rewards/{id}/reveal').map((response) => JSON.parse(response.text));
    expect(reveals).toEqual([
      { name: CLAIMANT_TYPED.name, phone: CLAIMANT_TYPED.phone, source: 'claim' },
      { name: NAMED_TYPED.name, phone: NAMED_TYPED.phone, source: 'tip' },
      // After retention: nothing left to reveal.
      expect.objectContaining({ name: null, phone: null }),
      expect.objectContaining({ name: null, phone: null }),
    ]);
  });

  it('should show suspects’ full cards and payment accounts only in the police detail of a tip', () => {
    const secrets = accountSecrets.filter((secret) => secret.what !== 'suspect phone');
    const carrying = new Set(seen.filter((response) => found(response.text, secrets).length > 0).map((response) => response.route));
    expect([...carrying].sort()).toEqual(['GET /api/tips/{id}', 'PATCH /api/tips/{id}']);
    const lists = seen.filter((response) => ['GET /api/tips', 'GET /api/rewards', 'POST /api/tips/follow-up'].includes(response.route));
    expect(lists.length).toBeGreaterThan(5);
    for (const response of lists) expect([response.route, found(response.text, [...identitySecrets, ...accountSecrets])]).toEqual([response.route, []]);
  });
});

function shanghaiDate(offsetDays: number): string {
  return new Date(Date.now() + 8 * 3600_000 + offsetDays * DAY).toISOString().slice(0, 10);
}

/** A real JPEG with a comment segment (COM) right after SOI holding `text`. */
function jpegWithComment(text: string): Buffer {
  const jpeg = jpegFixture({ metadata: true });
  const payload = Buffer.from(text, 'utf8');
  const length = payload.length + 2;
  return Buffer.concat([jpeg.subarray(0, 2), Buffer.from([0xff, 0xfe, length >> 8, length & 0xff]), payload, jpeg.subarray(2)]);
}
