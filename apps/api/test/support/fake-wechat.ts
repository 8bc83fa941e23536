import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for api.weixin.qq.com on loopback, answering with WeChat's documented response shapes.
 * Behaviour is chosen by the code the test sends:
 *
 * wx.login codes (GET /sns/jscode2session)
 *   ok-<who>[:<nonce>]  success; the openid is derived from <who>, so two codes of one person give one openid.
 *                       Like the real thing, each code works once; the second use answers 40163.
 *   invalid             40029 invalid code          ratelimit  45011 minute quota reached
 *   busy                -1 system busy              slow[-x]   success after `slowMs` (longer than the client timeout)
 *   garbage             200 with a truncated JSON   http500    500 with an HTML page
 *   empty               200 with `{}` (no openid)
 * getPhoneNumber codes (POST /wxa/business/getuserphonenumber)
 *   phone-<11 digits>   success with that mainland number
 *   intl-<digits>       success with countryCode 1 (a number outside the mainland)
 *   invalid / ratelimit 40029 / 45011
 * Access tokens (POST /cgi-bin/stable_token) are checked on every getPhoneNumber call:
 *   expireAccessTokenOnce() retires the current token, so the next call with it answers 40001 and the next
 *   stable_token call issues a new one; rejectAllTokens makes every token answer 40001.
 * Subscribe messages (POST /cgi-bin/message/subscribe/send) need a current access token too; each is delivered
 *   (recorded in `deliveredMessages`) unless `subscribeErrors` names an errcode for its openid, e.g. 43101
 *   (the person has no subscription left) or 40003 (invalid openid).
 * Wrong AppID or AppSecret answer 40013 / 40125, as WeChat does.
 */
export interface FakeWechatRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

export interface FakeWechatOptions {
  appId?: string;
  secret?: string;
  /** How long `slow` waits before answering. */
  slowMs?: number;
}

/** The openid the fake hands out for `ok-<who>` codes, 28 characters like a real one. */
export function fakeOpenid(who: string): string {
  return 'o' + createHash('sha256').update(who).digest('base64url').slice(0, 27);
}

export class FakeWechat {
  readonly appId: string;
  readonly secret: string;
  /** Every request received, in order. */
  readonly requests: FakeWechatRequest[] = [];
  /** Every session_key handed out: none of them may ever leave the API. */
  readonly sessionKeys: string[] = [];
  /** Every access token handed out. */
  readonly accessTokens: string[] = [];
  rejectAllTokens = false;
  /** The errcode a subscribe message to this openid is answered with; absent openids get their message. */
  readonly subscribeErrors = new Map<string, number>();
  /** Bodies of the subscribe messages WeChat accepted. */
  readonly deliveredMessages: { touser: string; template_id: string; page?: string; data: Record<string, { value: string }> }[] = [];

  private server!: Server;
  private readonly slowMs: number;
  private readonly usedCodes = new Set<string>();
  private currentToken: string | null = null;
  private readonly retiredTokens = new Set<string>();
  private readonly pending = new Set<NodeJS.Timeout>();
  baseUrl = '';

  private constructor(options: FakeWechatOptions) {
    this.appId = options.appId ?? 'wx0123456789abcdef';
    this.secret = options.secret ?? 'fake-app-secret-' + randomBytes(8).toString('hex');
    this.slowMs = options.slowMs ?? 1500;
  }

  static async start(options: FakeWechatOptions = {}): Promise<FakeWechat> {
    const fake = new FakeWechat(options);
    fake.server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.baseUrl = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Environment entries that point the API at this fake. */
  env(timeoutMs = 300): Record<string, string> {
    return { WECHAT_API_BASE: this.baseUrl, WECHAT_APPID: this.appId, WECHAT_SECRET: this.secret, WECHAT_TIMEOUT_MS: String(timeoutMs) };
  }

  /** The next getPhoneNumber call with the current token is refused with 40001; stable_token then issues a new one. */
  expireAccessTokenOnce(): void {
    if (this.currentToken) this.retiredTokens.add(this.currentToken);
    this.currentToken = null;
  }

  requestsTo(path: string): FakeWechatRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Everything the fake handed out that the API must keep to itself. */
  secrets(): string[] {
    return [this.secret, ...this.sessionKeys, ...this.accessTokens];
  }

  async close(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body });

    if (req.method === 'GET' && url.pathname === '/sns/jscode2session') return this.jscode2session(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') return this.stableToken(body, res);
    if (req.method === 'POST' && url.pathname === '/wxa/business/getuserphonenumber') return this.phoneNumber(url.searchParams, body, res);
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') return this.subscribeSend(url.searchParams, body, res);
    send(res, 404, '<html><body>404 Not Found</body></html>', 'text/html');
  }

  private credentialError(appId: unknown, secret: unknown): object | null {
    if (appId !== this.appId) return wxError(40013, 'invalid appid');
    if (secret !== this.secret) return wxError(40125, 'invalid appsecret');
    return null;
  }

  private jscode2session(query: URLSearchParams, res: ServerResponse): void {
    // WeChat really answers this endpoint with text/plain, so clients must not trust the content type.
    const json = (status: number, payload: object) => send(res, status, JSON.stringify(payload), 'text/plain');
    const problem = this.credentialError(query.get('appid'), query.get('secret'));
    if (problem) return json(200, problem);
    if (query.get('grant_type') !== 'authorization_code') return json(200, wxError(40002, 'invalid grant_type'));
    const code = query.get('js_code') ?? '';
    switch (code) {
      case 'invalid':
        return json(200, wxError(40029, 'invalid code'));
      case 'ratelimit':
        return json(200, wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute'));
      case 'busy':
        return json(200, wxError(-1, 'system error'));
      case 'garbage':
        return send(res, 200, `{"session_key":"${this.issueSessionKey()}","openid":"oTruncat`, 'text/plain');
      case 'http500':
        return send(res, 500, '<html><body>500 Internal Server Error</body></html>', 'text/html');
      case 'empty':
        return json(200, {});
    }
    if (code === 'slow' || code.startsWith('slow-')) {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        json(200, { openid: fakeOpenid(code), session_key: this.issueSessionKey() });
      }, this.slowMs);
      this.pending.add(timer);
      return;
    }
    if (!code.startsWith('ok-')) return json(200, wxError(40029, 'invalid code'));
    if (this.usedCodes.has(code)) return json(200, wxError(40163, 'code been used'));
    this.usedCodes.add(code);
    const who = code.slice(3).split(':')[0];
    json(200, { session_key: this.issueSessionKey(), openid: fakeOpenid(who) });
  }

  private stableToken(body: unknown, res: ServerResponse): void {
    const request = (body ?? {}) as { grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean };
    const problem = this.credentialError(request.appid, request.secret);
    if (problem) return send(res, 200, JSON.stringify(problem));
    if (request.grant_type !== 'client_credential') return send(res, 200, JSON.stringify(wxError(40002, 'invalid grant_type')));
    if (!this.currentToken || request.force_refresh) {
      this.currentToken = `${this.accessTokens.length + 1}_${randomBytes(24).toString('base64url')}`;
      this.accessTokens.push(this.currentToken);
    }
    send(res, 200, JSON.stringify({ access_token: this.currentToken, expires_in: 7200 }));
  }

  private phoneNumber(query: URLSearchParams, body: unknown, res: ServerResponse): void {
    const json = (payload: object) => send(res, 200, JSON.stringify(payload));
    const token = query.get('access_token');
    if (this.rejectAllTokens || !token || !this.accessTokens.includes(token) || this.retiredTokens.has(token)) {
      return json(wxError(40001, 'invalid credential, access_token is invalid or not latest'));
    }
    const code = String((body as { code?: unknown } | undefined)?.code ?? '');
    if (code === 'ratelimit') return json(wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute'));
    const mainland = /^phone-(1\d{10})$/.exec(code);
    const abroad = /^intl-(\d{6,15})$/.exec(code);
    if (!mainland && !abroad) return json(wxError(40029, 'invalid code'));
    const digits = (mainland ?? abroad)![1];
    const countryCode = mainland ? '86' : '1';
    json({
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: mainland ? digits : `+${countryCode}${digits}`,
        purePhoneNumber: digits,
        countryCode,
        watermark: { timestamp: Math.floor(Date.now() / 1000), appid: this.appId },
      },
    });
  }

  private subscribeSend(query: URLSearchParams, body: unknown, res: ServerResponse): void {
    const json = (payload: object) => send(res, 200, JSON.stringify(payload));
    if (!this.isCurrentToken(query.get('access_token'))) return json(wxError(40001, 'invalid credential, access_token is invalid or not latest'));
    const message = (body ?? {}) as FakeWechat['deliveredMessages'][number];
    if (typeof message.touser !== 'string' || typeof message.template_id !== 'string') return json(wxError(47001, 'data format error'));
    const errcode = this.subscribeErrors.get(message.touser);
    if (errcode === 43101) return json(wxError(43101, 'user refuse to accept the msg'));
    if (errcode !== undefined) return json(wxError(errcode, 'invalid openid'));
    this.deliveredMessages.push(message);
    json({ errcode: 0, errmsg: 'ok', msgid: Math.floor(Math.random() * 1e9) });
  }

  private isCurrentToken(token: string | null): boolean {
    return !this.rejectAllTokens && !!token && this.accessTokens.includes(token) && !this.retiredTokens.has(token);
  }

  private issueSessionKey(): string {
    const key = randomBytes(16).toString('base64');
    this.sessionKeys.push(key);
    return key;
  }
}

function wxError(errcode: number, errmsg: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: `${errmsg}, rid: ${randomBytes(6).toString('hex')}` };
}

function send(res: ServerResponse, status: number, text: string, contentType = 'application/json; encoding=utf-8'): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
