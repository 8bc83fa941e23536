import Taro from '@tarojs/taro'
import { ErrorCode, ERROR_MESSAGES, type TokenResponse } from '@qmfz/contracts'
import { useSyncExternalStore } from 'react'

import { IN_WECHAT } from '../env'
import { ApiError, fromTransportFailure, send } from './transport'

const STORAGE_KEY = 'qmfz.session'
/** Refresh this long before the access token runs out, so a request never leaves with a dying token. */
const EXPIRY_MARGIN_MS = 30_000
export const AUTH_TIMEOUT_MS = 10_000

interface StoredSession {
  accessToken: string
  refreshToken: string
  /** Epoch ms. */
  accessExpiresAt: number
}

type Listener = () => void

/**
 * The only holder of tokens. Pages never see them: the API client asks for a token and reports when the server
 * rejected one. Renewal is single-flight, because a refresh token is valid once and presenting it twice ends the
 * whole login (the server treats reuse as theft).
 */
class Session {
  private current: StoredSession | null = readStored()
  private inFlight: Promise<string> | null = null
  /** Bumped whenever the person signs out or in as someone: answers to older renewals are then thrown away. */
  private generation = 0
  private readonly listeners = new Set<Listener>()

  get signedIn(): boolean {
    return this.current !== null
  }

  /** A token that is valid for a while yet: the stored one, a refreshed one, or (in WeChat) a fresh login. */
  accessToken(): Promise<string> {
    this.catchUpWithStorage()
    const current = this.current
    if (current && current.accessExpiresAt - EXPIRY_MARGIN_MS > Date.now()) return Promise.resolve(current.accessToken)
    return this.renew()
  }

  /** Called when the server refused `token`; renews once however many calls saw the refusal. */
  rejected(token: string): Promise<string> {
    this.catchUpWithStorage()
    if (this.current && this.current.accessToken !== token) return Promise.resolve(this.current.accessToken)
    if (this.current) this.current = { ...this.current, accessExpiresAt: 0 }
    return this.renew()
  }

  /** Stores the tokens of a new sign-in; renewals still under way for an earlier one are discarded. */
  adopt(tokens: TokenResponse): void {
    this.generation++
    this.store(tokens)
  }

  /**
   * Signs in as someone through `fetchTokens` (the demo login). The current login stays until the new one
   * succeeds, and is then ended on the server too.
   */
  async signInWith(fetchTokens: () => Promise<TokenResponse>): Promise<void> {
    const tokens = await fetchTokens()
    const previous = this.current?.refreshToken
    this.adopt(tokens)
    if (previous) void logout(previous)
  }

  async signOut(): Promise<void> {
    const refreshToken = this.current?.refreshToken
    this.generation++
    this.clear()
    // Best effort: the tokens are gone from this device whatever the server says.
    if (refreshToken) await logout(refreshToken)
  }

  subscribe = (listener: Listener): (() => void) => {
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
    const generation = this.generation
    const refreshToken = this.current?.refreshToken
    if (refreshToken) {
      try {
        const tokens = await send<TokenResponse>({ method: 'POST', path: '/auth/refresh', body: { refreshToken }, timeoutMs: AUTH_TIMEOUT_MS })
        return this.accept(generation, tokens)
      } catch (error) {
        // Only a refused refresh token is spent; offline, busy or failing servers leave it for the next try.
        if (!(error instanceof ApiError) || error.status !== 401 || generation !== this.generation) throw error
        this.clear()
      }
    }
    return this.signIn(generation)
  }

  /** In WeChat a login is silent (wx.login code → our token); elsewhere a person has to sign in. */
  private async signIn(generation: number): Promise<string> {
    if (!IN_WECHAT) throw new ApiError(ErrorCode.AUTH_REQUIRED, ERROR_MESSAGES.AUTH_REQUIRED, 401)
    const { code } = await Taro.login().catch((error: unknown) => {
      throw fromTransportFailure(error)
    })
    return this.accept(generation, await send<TokenResponse>({ method: 'POST', path: '/auth/wechat', body: { code }, timeoutMs: AUTH_TIMEOUT_MS }))
  }

  /** Keeps tokens a renewal brought back, unless the person signed out or in as someone else meanwhile. */
  private accept(generation: number, tokens: TokenResponse): string {
    if (generation !== this.generation) {
      void logout(tokens.refreshToken)
      throw new ApiError(ErrorCode.AUTH_REQUIRED, ERROR_MESSAGES.AUTH_REQUIRED, 401)
    }
    this.store(tokens)
    return tokens.accessToken
  }

  /**
   * Another copy of the app (a second browser tab) may have renewed the tokens: the refresh token in memory is
   * then spent, and presenting it would end the login for both. Storage holds the newest pair (or none, after
   * a sign-out there).
   */
  private catchUpWithStorage(): void {
    // A mini-program runs once per device, and its synchronous storage read would cost every call for nothing.
    if (IN_WECHAT) return
    const stored = readStored()
    if (stored?.refreshToken === this.current?.refreshToken) return
    this.current = stored
    this.notify()
  }

  private store(tokens: TokenResponse): void {
    this.current = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    }
    Taro.setStorageSync(STORAGE_KEY, this.current)
    this.notify()
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

function logout(refreshToken: string): Promise<void> {
  return send<void>({ method: 'POST', path: '/auth/logout', body: { refreshToken }, timeoutMs: AUTH_TIMEOUT_MS }).catch(() => undefined)
}

function readStored(): StoredSession | null {
  const stored: Partial<StoredSession> | '' = Taro.getStorageSync(STORAGE_KEY)
  return stored && typeof stored.accessToken === 'string' && typeof stored.refreshToken === 'string'
    ? { accessToken: stored.accessToken, refreshToken: stored.refreshToken, accessExpiresAt: Number(stored.accessExpiresAt) || 0 }
    : null
}

export const session = new Session()

/** Re-renders when the person signs in or out. */
export function useSignedIn(): boolean {
  return useSyncExternalStore(session.subscribe, () => session.signedIn)
}
