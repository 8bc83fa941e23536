import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';

export interface WechatSession {
  openid: string;
  unionid?: string;
  /** Kept inside the API: never stored, logged or returned. */
  sessionKey: string;
}

export interface WechatPhone {
  /** Digits without country code, e.g. 13812345678. */
  purePhoneNumber: string;
  countryCode: string;
}

interface WechatReply {
  errcode?: number;
  errmsg?: string;
}

// WeChat's documented error codes that concern the caller, mapped to ours.
const CODE_ERRORS = new Set([40029, 40163, 40226, 41008, 40013]);
const RATE_ERRORS = new Set([45011, 45009]);
const TOKEN_ERRORS = new Set([40001, 42001, 40014]);

const SUBSCRIBE_REFUSED = 43101;

function failure(errcode: number): AppException {
  if (CODE_ERRORS.has(errcode)) return new AppException(ErrorCode.WECHAT_CODE_INVALID, HttpStatus.BAD_REQUEST);
  if (RATE_ERRORS.has(errcode)) return new AppException(ErrorCode.WECHAT_RATE_LIMITED, HttpStatus.TOO_MANY_REQUESTS);
  return new AppException(ErrorCode.WECHAT_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE);
}

/** The one HTTP adapter to WeChat's server API. Its base URL is configurable so tests use a fake on loopback. */
@Injectable()
export class WechatClient {
  private readonly logger = new Logger('Wechat');
  private accessToken?: { value: string; expiresAt: number };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** wx.login code → openid; https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html */
  async code2Session(code: string): Promise<WechatSession> {
    const { appId, secret } = this.credentials();
    const query = new URLSearchParams({ appid: appId, secret, js_code: code, grant_type: 'authorization_code' });
    const reply = await this.call<WechatReply & { openid?: string; unionid?: string; session_key?: string }>(
      'jscode2session',
      `/sns/jscode2session?${query}`,
    );
    if (typeof reply.openid !== 'string' || typeof reply.session_key !== 'string') throw failure(-1);
    return { openid: reply.openid, unionid: typeof reply.unionid === 'string' ? reply.unionid : undefined, sessionKey: reply.session_key };
  }

  /** getPhoneNumber button code → the user's verified phone number. */
  async getPhoneNumber(code: string): Promise<WechatPhone> {
    const reply = await this.withAccessToken((token) =>
      this.call<WechatReply & { phone_info?: { purePhoneNumber?: string; countryCode?: string } }>(
        'getuserphonenumber',
        `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`,
        { code },
      ),
    );
    const info = reply.phone_info;
    if (typeof info?.purePhoneNumber !== 'string') throw failure(-1);
    return { purePhoneNumber: info.purePhoneNumber, countryCode: String(info.countryCode ?? '86') };
  }

  /**
   * A one-time subscribe message; https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
   * Throws SubscribeRefused when the person has no subscription for the template (43101).
   */
  async sendSubscribeMessage(message: { openid: string; templateId: string; page: string; data: Record<string, string> }): Promise<void> {
    const data = Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }]));
    await this.withAccessToken((token) =>
      this.call<WechatReply>('subscribe-send', `/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
        touser: message.openid,
        template_id: message.templateId,
        page: message.page.replace(/^\//, ''),
        data,
      }),
    );
  }

  /** Runs a call with the app's access token, refreshing the token once if WeChat says it expired. */
  private async withAccessToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await this.token());
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error;
      this.accessToken = undefined;
    }
    try {
      return await call(await this.token());
    } catch (error) {
      throw error instanceof TokenRejected ? failure(-1) : error;
    }
  }

  // stable_token returns the same token to every instance, so a per-instance cache is safe behind a load balancer.
  private async token(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now()) return this.accessToken.value;
    const { appId, secret } = this.credentials();
    const reply = await this.call<WechatReply & { access_token?: string; expires_in?: number }>('stable_token', '/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: appId,
      secret,
    });
    if (typeof reply.access_token !== 'string') throw failure(-1);
    // Renew five minutes early; a short-lived token (never seen in practice) is kept for half its life.
    const expiresIn = Number(reply.expires_in) > 0 ? Number(reply.expires_in) : 7200;
    const lifetime = expiresIn > 600 ? expiresIn - 300 : expiresIn / 2;
    this.accessToken = { value: reply.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return reply.access_token;
  }

  private credentials(): { appId: string; secret: string } {
    const { appId, secret } = this.config.wechat;
    if (!appId || !secret) throw new AppException(ErrorCode.WECHAT_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE, '未配置微信小程序 AppID，无法使用微信登录');
    return { appId, secret };
  }

  /** One request: timeout, JSON parsing and errcode mapping. URLs carry secrets, so they are never logged. */
  private async call<T extends WechatReply>(api: string, pathAndQuery: string, body?: object): Promise<T> {
    let text: string;
    try {
      const response = await fetch(this.config.wechat.baseUrl + pathAndQuery, {
        method: body ? 'POST' : 'GET',
        headers: body ? { 'content-type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.config.wechat.timeoutMs),
      });
      text = await response.text();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      this.logger.warn({ api, problem: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message });
      throw failure(-1);
    }
    let reply: T;
    try {
      reply = JSON.parse(text) as T;
    } catch {
      this.logger.warn({ api, problem: 'malformed JSON' });
      throw failure(-1);
    }
    if (typeof reply !== 'object' || reply === null) throw failure(-1);
    if (reply.errcode) {
      this.logger.warn({ api, errcode: reply.errcode });
      if (TOKEN_ERRORS.has(reply.errcode)) throw new TokenRejected();
      if (reply.errcode === SUBSCRIBE_REFUSED) throw new SubscribeRefused();
      throw failure(reply.errcode);
    }
    return reply;
  }
}

class TokenRejected extends Error {}

/** The person has not agreed (or no longer agrees) to this subscribe message. */
export class SubscribeRefused extends Error {}
