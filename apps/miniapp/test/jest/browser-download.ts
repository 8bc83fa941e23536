/// <reference types="jest" />
/**
 * The browser side of a file download, which jsdom lacks: `fetch` answered by the test, object URLs, and the
 * `<a download>` click that saves the file (recorded instead of navigating). Call in the test, before the download.
 */
import type { Reply } from './taro-mock/state'

export interface SentFetch {
  url: string
  headers: Record<string, string>
}

export interface SavedFile {
  href: string
  fileName: string
  /** What the saved blob holds, as text. */
  text: string
}

/** A minimal Response: what the app reads from one. */
function response(reply: Reply) {
  const text = typeof reply.data === 'string' ? reply.data : JSON.stringify(reply.data ?? '')
  return {
    ok: reply.statusCode >= 200 && reply.statusCode < 300,
    status: reply.statusCode,
    text: async () => text,
    blob: async () => new Blob([text]),
  }
}

/** jsdom's Blob has no text(); FileReader has always been there. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsText(blob)
  })
}

/** Answers `fetch` with `handler` (throw to fail one, as a network failure does) and records saved files. */
export function serveBrowserDownloads(handler: (sent: SentFetch) => Reply | Promise<Reply>) {
  const fetches: SentFetch[] = []
  const blobs = new Map<string, Blob>()
  const saved: Array<Promise<SavedFile>> = []
  const revoked: string[] = []

  const globals = globalThis as unknown as Record<string, unknown>
  globals.fetch = jest.fn(async (url: string, init?: { headers?: Record<string, string> }) => {
    const sent = { url, headers: { ...(init?.headers ?? {}) } }
    fetches.push(sent)
    return response(await handler(sent))
  })
  URL.createObjectURL = jest.fn((blob: Blob) => {
    const href = `blob:https://app.test/${blobs.size + 1}`
    blobs.set(href, blob)
    return href
  })
  URL.revokeObjectURL = jest.fn((href: string) => {
    revoked.push(href)
  })
  jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const href = this.getAttribute('href') ?? ''
    const blob = blobs.get(href)
    saved.push(blob ? readBlob(blob).then((text) => ({ href, fileName: this.download, text })) : Promise.reject(new Error(`no blob behind ${href}`)))
  })

  return {
    fetches,
    revoked,
    /** Files the page saved, oldest first. */
    saved: () => Promise.all(saved),
  }
}
