import Taro from '@tarojs/taro'
import { ErrorCode } from '@qmfz/contracts'

import { session } from './session'
import {
  ApiError,
  apiUrl,
  authHeader,
  clientError,
  ClientErrorCode,
  fromTransportFailure,
  readResponse,
  receiveFile,
  send,
  toApiError,
  type Method,
  type ReceivedFile,
} from './transport'

const DEFAULT_TIMEOUT_MS = 10_000
const UPLOAD_TIMEOUT_MS = 60_000
const DOWNLOAD_TIMEOUT_MS = 60_000
/** A saved file's object URL is released once the browser has surely taken the file over. */
const OBJECT_URL_LIFETIME_MS = 10_000
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
  /** Text fields sent with the file. */
  formData?: Record<string, string>
  timeoutMs?: number
  /**
   * Told how much of the file has gone out, as a whole percent 0–100, while it uploads (WeChat's and Taro H5's
   * UploadTask). A repeat after a token renewal starts again from 0. Never called where the platform has no progress.
   */
  onProgress?: (percent: number) => void
}

export interface DownloadOptions {
  /** The name the file is saved (web) or kept (WeChat) under, with its extension, e.g. `观看情况-白土村.xlsx`. */
  fileName: string
  query?: Record<string, string | undefined>
  timeoutMs?: number
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
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return retrying(method === 'GET' ? IDEMPOTENT_ATTEMPTS : 1, () =>
    authorized((token) => send<T>({ method, path, query: options.query, body, token, timeoutMs })),
  )
}

/** Tries `exchange` up to `attempts` times while it fails transiently (no answer, or a gateway's 502–504). */
async function retrying<T>(attempts: number, exchange: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await exchange()
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
      const task = Taro.uploadFile({
        url: apiUrl(path),
        filePath: file.filePath,
        name: file.field,
        fileName: file.fileName,
        formData: file.formData,
        header: authHeader(token),
        timeout: file.timeoutMs ?? UPLOAD_TIMEOUT_MS,
      })
      if (file.onProgress) reportProgress(task, file.onProgress)
      response = await task
    } catch (error) {
      throw fromTransportFailure(error)
    }
    return readResponse<T>(response.statusCode, response.data)
  })
}

/** Forwards an UploadTask's progress as a whole percent; a platform whose task has no progress events reports none. */
function reportProgress(task: Partial<Pick<Taro.UploadTask, 'onProgressUpdate'>>, onProgress: (percent: number) => void): void {
  if (typeof task.onProgressUpdate !== 'function') return
  task.onProgressUpdate(({ progress }) => {
    // Taro H5 computes loaded / total, which is NaN for an empty body.
    if (!Number.isFinite(progress)) return
    onProgress(Math.min(100, Math.max(0, Math.round(progress))))
  })
}

/**
 * Downloads a file with the signed-in person's token and hands it to them: in WeChat the document viewer opens it
 * (its menu saves or forwards it), in a browser it is saved under `fileName`. A GET, so it is retried like one.
 */
async function download(path: string, options: DownloadOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS
  const file = await retrying(IDEMPOTENT_ATTEMPTS, () =>
    authorized((token) => receiveFile({ path, query: options.query, token, timeoutMs, fileName: options.fileName })),
  )
  try {
    await handOver(file, options.fileName)
  } catch {
    throw clientError(ClientErrorCode.FILE_NOT_OPENED)
  }
}

async function handOver(file: ReceivedFile, fileName: string): Promise<void> {
  if ('filePath' in file) {
    await Taro.openDocument({ filePath: file.filePath, fileType: documentType(fileName), showMenu: true })
    return
  }
  const url = URL.createObjectURL(file.blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.appendChild(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFETIME_MS)
  }
}

type DocumentType = keyof Taro.openDocument.FileType
const DOCUMENT_TYPES: readonly DocumentType[] = ['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']

/** The viewer is told the type: a kept file's name carries it, but WeChat's temp paths may not. */
function documentType(fileName: string): DocumentType | undefined {
  const extension = fileName.split('.').pop()?.toLowerCase()
  return DOCUMENT_TYPES.find((type) => type === extension)
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** The one way pages talk to the API. Only GETs and downloads are retried: a repeated POST could act twice. */
export const api = {
  get: <T>(path: string, options?: CallOptions) => call<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: CallOptions) => call<T>('POST', path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PATCH', path, body, options),
  put: <T>(path: string, body: unknown, options?: CallOptions) => call<T>('PUT', path, body, options),
  // `{}` rather than no body: mini-program requests carry a JSON content type even when they have no body.
  delete: (path: string, options?: CallOptions) => call<void>('DELETE', path, {}, options),
  upload,
  download,
}
