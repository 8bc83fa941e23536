import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../../../../env'
import { ensurePrivacyConsent } from '../../../../state/privacy'

export interface PickedFile {
  /** A weapp temp path or an h5 blob: URL, as Taro.uploadFile takes it. */
  path: string
  name: string
}

const EXTENSIONS = ['csv', 'xlsx']

/**
 * One CSV or XLSX file. In WeChat it comes from a chat (chooseMessageFile, a privacy API, so consent comes
 * first); in a browser from the file dialog. Resolves null when the person cancels or declines consent.
 */
export async function pickRosterFile(): Promise<PickedFile | null> {
  if (IN_WECHAT) {
    if (!(await ensurePrivacyConsent())) {
      void Taro.showToast({ title: '需同意隐私保护指引后才能选择文件', icon: 'none' })
      return null
    }
    const result = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: EXTENSIONS }).catch(() => null)
    const file = result?.tempFiles[0]
    return file ? { path: file.path, name: file.name } : null
  }
  return pickInBrowser()
}

/** How long after the page regains focus a chosen file's `change` may still arrive. */
const CHANGE_GRACE_MS = 1000

function pickInBrowser(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = EXTENSIONS.map((ext) => `.${ext}`).join(',')
    input.style.display = 'none'
    let done = false
    const finish = (file: File | undefined) => {
      if (done) return
      done = true
      input.remove()
      window.removeEventListener('focus', onFocus)
      resolve(file ? { path: URL.createObjectURL(file), name: file.name } : null)
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

/** A browser file handed out by pickRosterFile holds memory until released; weapp temp paths need nothing. */
export function releasePickedFile(file: PickedFile): void {
  if (file.path.startsWith('blob:')) URL.revokeObjectURL(file.path)
}
