import Taro from '@tarojs/taro'
import { ErrorCode, ERROR_MESSAGES, type TokenResponse } from '@qmfz/contracts'

import { IN_WECHAT } from '../env'
import { ApiError, fromTransportFailure, send } from './transport'

const STORAGE_KEY = 'qmfz.session'
/** Refresh this long before the access token runs out, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 30_000
const AUTH_TIMEOUT_MS = 10_000

interface StoredSession {
  accessToken: string
  refreshToken: string
  /** Epoch ms. */
  accessExpiresAt: number
}

type Listener = () => void

/**
 * The only holder of tokens. Pages never see them: the API client asks for a token and reports when the server
 * rejected one. Sign-in and refresh are single-flight, because a refresh token is valid once and presenting it
 * twice ends the whole login (the server treats reuse as theft).
 */
class Session {
  private current: StoredSession | null = readStored()
  private inFlight: Promise<string> | null = null
  private readonly listeners = new Set<Listener>()

  get signedIn(): boolean {
    return this.current !== null
  }

  /** A token that is valid for a while yet: the stored one, a refreshed one, or (in WeChat) a fresh login. */
  accessToken(): Promise<string> {
    const current = this.current
    if (current && current.accessExpiresAt - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(current.accessToken)
    return this.renew()
  }

  /** Called when the server refused `token`; renews once however many calls saw the refusal. */
  rejected(token: string): Promise<string> {
    if (this.current && this.current.accessToken !== token) return Promise.resolve(this.current.accessToken)
    if (this.current) this.current = { ...this.current, accessExpiresAt: 0 }
    return this.renew()
  }

  /** Stores tokens from any sign-in (WeChat, or the demo login in demo builds). */
  adopt(tokens: TokenResponse): void {
    this.current = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    }
    Taro.setStorageSync(STORAGE_KEY, this.current)
    this.notify()
  }

  async signOut(): Promise<void> {
    const refreshToken = this.current?.refreshToken
    this.clear()
    if (!refreshToken) return
    // Best effort: the tokens are gone from this device whatever the server says.
    await send({ method: 'POST', path: '/auth/logout', body: { refreshToken }, timeoutMs: AUTH_TIMEOUT_MS }).catch(() => undefined)
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private renew(): Promise<string> {
    this.inFlight ??= this.refreshOrSignIn().finally(() => {
      this.inFlight = null
    })
    return this.inFlight
  }

  private async refreshOrSignIn(): Promise<string> {
    const refreshToken = this.current?.refreshToken
    if (refreshToken) {
      try {
        this.adopt(await send<TokenResponse>({ method: 'POST', path: '/auth/refresh', body: { refreshToken }, timeoutMs: AUTH_TIMEOUT_MS }))
        return this.current!.accessToken
      } catch (error) {
        // Offline: keep the refresh token for the next try. Refused: it is spent, sign in afresh.
        if (error instanceof ApiError && error.offline) throw error
        this.clear()
      }
    }
    return this.signIn()
  }

  /** In WeChat a login is silent (wx.login code → our token); elsewhere a person has to sign in. */
  private async signIn(): Promise<string> {
    if (!IN_WECHAT) throw new ApiError(ErrorCode.AUTH_REQUIRED, ERROR_MESSAGES.AUTH_REQUIRED, 401)
    const { code } = await Taro.login().catch((error: unknown) => {
      throw fromTransportFailure(error)
    })
    this.adopt(await send<TokenResponse>({ method: 'POST', path: '/auth/wechat', body: { code }, timeoutMs: AUTH_TIMEOUT_MS }))
    return this.current!.accessToken
  }

  private clear(): void {
    this.current = null
    Taro.removeStorageSync(STORAGE_KEY)
    this.notify()
  }

  private notify(): void {
    for (const listener of this.listeners) listener()
  }
}

function readStored(): StoredSession | null {
  const stored: Partial<StoredSession> | '' = Taro.getStorageSync(STORAGE_KEY)
  return stored && typeof stored.accessToken === 'string' && typeof stored.refreshToken === 'string'
    ? { accessToken: stored.accessToken, refreshToken: stored.refreshToken, accessExpiresAt: Number(stored.accessExpiresAt) || 0 }
    : null
}

export const session = new Session()
