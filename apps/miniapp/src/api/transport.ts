import Taro from '@tarojs/taro'
import { ERROR_MESSAGES, ErrorCode, type ErrorResponse } from '@qmfz/contracts'

import { API_BASE, IN_WECHAT } from '../env'

/** Failures that never reach the server, so they carry no server code. */
export const ClientErrorCode = {
  NETWORK: 'NETWORK',
  TIMEOUT: 'TIMEOUT',
  /** A downloaded file the device could not open or save. */
  FILE_NOT_OPENED: 'FILE_NOT_OPENED',
} as const
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode]

const CLIENT_MESSAGES: Record<ClientErrorCode, string> = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '网络较慢，请求超时，请稍后重试',
  FILE_NOT_OPENED: '文件已下载，但无法打开，请稍后重试',
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

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

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

export interface IncomingFile {
  path: string
  query?: Record<string, string | undefined>
  token: string
  timeoutMs: number
  /** In WeChat the file is kept under this name, so it keeps it when forwarded from the document viewer. */
  fileName: string
}

/** A downloaded file: a local path in WeChat, the bytes in a browser. */
export type ReceivedFile = { filePath: string } | { blob: Blob }

/**
 * One file download, no retries and no token handling. An error answer becomes an ApiError, as in send(): WeChat
 * saves any answer to the file, so an error body is read back from it.
 */
export function receiveFile(incoming: IncomingFile): Promise<ReceivedFile> {
  return IN_WECHAT ? downloadInWeChat(incoming) : fetchInBrowser(incoming)
}

async function downloadInWeChat(incoming: IncomingFile): Promise<ReceivedFile> {
  const folder = Taro.env?.USER_DATA_PATH
  let result: Taro.downloadFile.FileSuccessCallbackResult
  try {
    result = await Taro.downloadFile({
      url: apiUrl(incoming.path, incoming.query),
      header: authHeader(incoming.token),
      timeout: incoming.timeoutMs,
      ...(folder ? { filePath: `${folder}/${safeFileName(incoming.fileName)}` } : {}),
    })
  } catch (error) {
    throw fromTransportFailure(error)
  }
  const filePath = result.filePath || result.tempFilePath
  if (result.statusCode < 200 || result.statusCode >= 300) return readResponse<never>(result.statusCode, readLocalText(filePath))
  return { filePath }
}

async function fetchInBrowser(incoming: IncomingFile): Promise<ReceivedFile> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), incoming.timeoutMs)
  try {
    const response = await fetch(apiUrl(incoming.path, incoming.query), { headers: authHeader(incoming.token), signal: controller.signal })
    if (!response.ok) return readResponse<never>(response.status, await response.text())
    return { blob: await response.blob() }
  } catch (error) {
    throw error instanceof ApiError ? error : fromTransportFailure(error)
  } finally {
    clearTimeout(timer)
  }
}

/** An error body left in a downloaded file; undefined when it cannot be read (the status then names the failure). */
function readLocalText(filePath: string): string | undefined {
  try {
    return String(Taro.getFileSystemManager().readFileSync(filePath, 'utf8'))
  } catch {
    return undefined
  }
}

/** File names come from unit names; keep them to characters every file system accepts. */
function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\s]+/g, '_')
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
