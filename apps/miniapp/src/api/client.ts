import Taro from '@tarojs/taro'
import { ErrorCode } from '@qmfz/contracts'

import { session } from './session'
import { ApiError, apiUrl, authHeader, fromTransportFailure, readResponse, send, toApiError, type Method } from './transport'

const DEFAULT_TIMEOUT_MS = 10_000
const UPLOAD_TIMEOUT_MS = 60_000
/** Idempotent calls are tried this often in all when the network or a gateway fails; others exactly once. */
const IDEMPOTENT_ATTEMPTS = 3
const RETRY_DELAY_MS = 600

export interface CallOptions {
  query?: Record<string, string | undefined>
  timeoutMs?: number
}

export interface UploadOptions {
  /** Local path (weapp temp file) or blob: URL (h5). */
  filePath: string
  /** Multipart field name the route reads. */
  field: string
  fileName?: string
}

/** Signed-in calls: the token is attached and renewed here, never at a call site. */
async function authorized<T>(exchange: (token: string) => Promise<T>): Promise<T> {
  const token = await session.accessToken()
  try {
    return await exchange(token)
  } catch (error) {
    // An expired or no-longer-valid token gets one renewal and one more try; other refusals stand.
    const refused = error instanceof ApiError && (error.code === ErrorCode.AUTH_TOKEN_EXPIRED || error.code === ErrorCode.AUTH_TOKEN_INVALID)
    if (!refused) throw error
    return exchange(await session.rejected(token))
  }
}

async function call<T>(method: Method, path: string, body: unknown, options: CallOptions = {}): Promise<T> {
  const attempts = method === 'GET' ? IDEMPOTENT_ATTEMPTS : 1
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  for (let attempt = 1; ; attempt++) {
    try {
      return await authorized((token) => send<T>({ method, path, query: options.query, body, token, timeoutMs }))
    } catch (error) {
      const failure = toApiError(error)
      if (!failure.transient || attempt >= attempts) throw failure
      await delay(RETRY_DELAY_MS * attempt)
    }
  }
}

async function upload<T>(path: string, file: UploadOptions): Promise<T> {
  return authorized(async (token) => {
    let response: Taro.uploadFile.SuccessCallbackResult
    try {
      response = await Taro.uploadFile({
        url: apiUrl(path),
        filePath: file.filePath,
        name: file.field,
        fileName: file.fileName,
        header: authHeader(token),
        timeout: UPLOAD_TIMEOUT_MS,
      })
    } catch (error) {
      throw fromTransportFailure(error)
    }
    return readResponse<T>(response.statusCode, response.data)
  })
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The one way pages talk to the API. Only GET is retried: a repeated POST could act twice. */
export const api = {
  get: <T>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options),
  // `{}` rather than no body: mini-program requests carry a JSON content type even when they have no body.
  delete: (path: string, options?: CallOptions) => call<void>('DELETE', path, {}, options),
  upload,
}
