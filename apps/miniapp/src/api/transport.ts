import Taro from '@tarojs/taro'
import { ERROR_MESSAGES, ErrorCode, type ErrorResponse } from '@qmfz/contracts'

import { API_BASE } from '../env'

/** Failures that never reach the server, so they carry no server code. */
export const ClientErrorCode = {
  NETWORK: 'NETWORK',
  TIMEOUT: 'TIMEOUT',
} as const
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode]

const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '网络较慢，请求超时，请稍后重试',
}

export type FieldProblem = { field: string; message: string }

/** Every failed call ends as one of these: a stable code to branch on and a Chinese message to show. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    readonly details: FieldProblem[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** True when the request got no answer (no network, or too slow): worth trying again as it is. */
  get offline(): boolean {
    return this.code === ClientErrorCode.NETWORK || this.code === ClientErrorCode.TIMEOUT
  }

  /** Worth repeating unchanged: no answer, or a gateway/overload answer. */
  get transient(): boolean {
    return this.offline || this.status === 502 || this.status === 503 || this.status === 504
  }
}

export function clientError(code: ClientErrorCode): ApiError {
  return new ApiError(code, CLIENT_MESSAGES[code], 0)
}

/** Turns anything thrown by a call into an ApiError, so pages show one kind of message (a bug here is not offline). */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(ErrorCode.INTERNAL, ERROR_MESSAGES.INTERNAL, 0)
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

export interface Outgoing {
  method: Method
  path: string
  query?: Record<string, string | undefined>
  body?: unknown
  token?: string
  timeoutMs: number
}

export function apiUrl(path: string, query?: Record<string, string | undefined>): string {
  const pairs = Object.entries(query ?? {}).filter((pair): pair is [string, string] => pair[1] !== undefined)
  const search = pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&')
  return `${API_BASE}/api${path}${search ? `?${search}` : ''}`
}

export function authHeader(token?: string): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {}
}

/** One HTTP exchange, no retries and no token handling: the client and the session build on it. */
export async function send<T>(outgoing: Outgoing): Promise<T> {
  let response: Awaited<ReturnType<typeof Taro.request>>
  try {
    response = await Taro.request({
      url: apiUrl(outgoing.path, outgoing.query),
      method: outgoing.method,
      data: outgoing.body,
      // A JSON content type with an empty body is a 400 to Fastify, so bodiless calls (GET) send none.
      header: { ...(outgoing.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...authHeader(outgoing.token) },
      timeout: outgoing.timeoutMs,
      dataType: 'json',
    })
  } catch (error) {
    throw fromTransportFailure(error)
  }
  return readResponse<T>(response.statusCode, response.data)
}

/** Success bodies are returned as they are; error bodies become an ApiError with the server's code and message. */
export function readResponse<T>(status: number, data: unknown): T {
  const body = typeof data === 'string' && data.startsWith('{') ? safeParse(data) : data
  if (status >= 200 && status < 300) return (status === 204 ? undefined : body) as T
  if (isErrorResponse(body)) throw new ApiError(body.code, body.message, status, body.details ?? [])
  // Not our API's error body (a proxy's page, a gateway timeout): name the failure by its status alone.
  const code = FALLBACK_CODES[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.VALIDATION_FAILED)
  throw new ApiError(code, ERROR_MESSAGES[code], status)
}

const FALLBACK_CODES: Partial<Record<number, ErrorCode>> = {
  401: ErrorCode.AUTH_REQUIRED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
}

export function fromTransportFailure(error: unknown): ApiError {
  const message = String((error as { errMsg?: unknown })?.errMsg ?? (error as Error)?.message ?? '')
  // WeChat says "timeout"; the web build aborts its fetch when the time is up, and we abort nothing else.
  const timedOut = /time ?out|abort/i.test(message) || (error as Error)?.name === 'AbortError'
  return clientError(timedOut ? ClientErrorCode.TIMEOUT : ClientErrorCode.NETWORK)
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function isErrorResponse(body: unknown): body is ErrorResponse {
  const candidate = body as Partial<ErrorResponse> | null
  return typeof candidate?.code === 'string' && typeof candidate.message === 'string'
}
