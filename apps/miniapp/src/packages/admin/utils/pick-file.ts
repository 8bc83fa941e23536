import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../../../env'
import { ensurePrivacyConsent } from '../../../state/privacy'

export interface PickedFile {
  /** A weapp temp path or an h5 blob: URL, as Taro.uploadFile takes it. */
  path: string
  name: string
  size: number
}

export type FileKind = 'roster' | 'video'

/** What each upload takes: the chat file filter in WeChat, the file dialog's `accept` in a browser. */
const KINDS: Record<FileKind, { wechat: Pick<Taro.chooseMessageFile.Option, 'type' | 'extension'>; accept: string }> = {
  roster: { wechat: { type: 'file', extension: ['csv', 'xlsx'] }, accept: '.csv,.xlsx' },
  // The server checks a video's bytes, not its name; the filter only spares people a wrong pick.
  video: { wechat: { type: 'video' }, accept: 'video/mp4,video/webm,.mp4,.webm' },
}

/**
 * One file. In WeChat it comes from a chat (chooseMessageFile, a privacy API, so consent comes first); in a
 * browser from the file dialog. Resolves null when the person cancels or declines consent.
 */
export async function pickFile(kind: FileKind): Promise<PickedFile | null> {
  if (IN_WECHAT) {
    if (!(await ensurePrivacyConsent())) {
      void Taro.showToast({ title: '需同意隐私保护指引后才能选择文件', icon: 'none' })
      return null
    }
    const result = await Taro.chooseMessageFile({ count: 1, ...KINDS[kind].wechat }).catch(() => null)
    const file = result?.tempFiles[0]
    return file ? { path: file.path, name: file.name, size: file.size } : null
  }
  return pickInBrowser(KINDS[kind].accept)
}

/** How long after the page regains focus a chosen file's `change` may still arrive. */
const CHANGE_GRACE_MS = 1000

function pickInBrowser(accept: string): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
    let done = false
    const finish = (file: File | undefined) => {
      if (done) return
      done = true
      input.remove()
      window.removeEventListener('focus', onFocus)
      resolve(file ? { path: URL.createObjectURL(file), name: file.name, size: file.size } : null)
    }
    // Browsers without the input's `cancel` event (Chrome before 113, some Android webviews) only give the
    // page its focus back when the dialog closes; no `change` soon after means the person cancelled.
    const onFocus = () => setTimeout(() => finish(input.files?.[0]), CHANGE_GRACE_MS)
    input.addEventListener('change', () => finish(input.files?.[0]))
    input.addEventListener('cancel', () => finish(undefined))
    window.addEventListener('focus', onFocus)
    document.body.appendChild(input)
    input.click()
  })
}

/** A browser file handed out by pickFile holds memory until released; weapp temp paths need nothing. */
export function releasePickedFile(file: PickedFile): void {
  if (file.path.startsWith('blob:')) URL.revokeObjectURL(file.path)
}
