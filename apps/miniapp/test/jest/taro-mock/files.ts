/**
 * Files in WeChat: Taro.downloadFile answered by the test's handler, the local files it leaves behind (read back
 * through the file system manager), and Taro.openDocument, recorded like navigation.
 */
import { record, recorded, settle } from './settle'
import { state, type Callbacks, type DownloadHandler, type SentDownload, type TaroFailure } from './state'

/** Taro.env in WeChat: where a mini-program may keep files of its own. */
export const USER_DATA_PATH = 'wxfile://usr'

type DownloadOptions = { url: string; header?: Record<string, string>; filePath?: string; timeout?: number } & Callbacks

function downloadFile(options: DownloadOptions) {
  const sent: SentDownload = { url: options.url, header: { ...(options.header ?? {}) }, filePath: options.filePath, timeout: options.timeout }
  state().downloads.push(sent)
  const task = settle('downloadFile', options, async () => {
    const handler = state().downloadHandler
    if (!handler) {
      state().unexpected.push(`DOWNLOAD ${sent.url}`)
      throw { errMsg: 'downloadFile:fail no handler set in the test (taroMock.handleDownloads)' } satisfies TaroFailure
    }
    const reply = await handler(sent)
    // As in WeChat, any answer is saved, an error body too; the status tells them apart.
    const path = sent.filePath ?? `wxfile://tmp/download-${state().downloads.length}`
    state().files.set(path, typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data ?? ''))
    return sent.filePath
      ? { statusCode: reply.statusCode, filePath: path, errMsg: 'downloadFile:ok' }
      : { statusCode: reply.statusCode, tempFilePath: path, errMsg: 'downloadFile:ok' }
  })
  return Object.assign(task, { abort: () => record('downloadFile.abort', sent), onProgressUpdate: () => {} })
}

function readFileSync(filePath: string): string {
  const text = state().files.get(filePath)
  // WeChat throws an Error whose message names the failure.
  if (text === undefined) throw new Error(`readFileSync:fail no such file or directory, open ${filePath}`)
  return text
}

export const filesApis = {
  env: { USER_DATA_PATH },
  downloadFile,
  openDocument: recorded('openDocument'),
  getFileSystemManager: () => ({ readFileSync }),
}

export const filesControls = {
  /** Answers every Taro.downloadFile from now on; throw or reject (e.g. with networkFailure()) to fail one. */
  handleDownloads(handler: DownloadHandler): void {
    state().downloadHandler = handler
  },
  /** Every Taro.downloadFile so far, oldest first. */
  get downloads(): readonly SentDownload[] {
    return state().downloads
  },
}
