import Taro from '@tarojs/taro'

import { IN_WECHAT } from '../../../../env'
import { ensurePrivacyConsent } from '../../../../state/privacy'

export interface PickedVideo {
  /** A weapp temp path or an h5 blob: URL, as Taro.uploadFile takes it. */
  path: string
  name: string
  size: number
}

const ACCEPT = ['video/mp4', 'video/webm', '.mp4', '.webm']

/**
 * One video file, as packages/admin/pages/unit/pick-file.ts picks a roster: in WeChat from a chat
 * (chooseMessageFile, a privacy API, so consent comes first), in a browser from the file dialog.
 * Resolves null when the person cancels or declines consent. The server checks the bytes, not the name.
 */
export async function pickVideoFile(): Promise<PickedVideo | null> {
  if (IN_WECHAT) {
    if (!(await ensurePrivacyConsent())) {
      void Taro.showToast({ title: '需同意隐私保护指引后才能选择文件', icon: 'none' })
      return null
    }
    const result = await Taro.chooseMessageFile({ count: 1, type: 'video' }).catch(() => null)
    const file = result?.tempFiles[0]
    return file ? { path: file.path, name: file.name, size: file.size } : null
  }
  return pickInBrowser()
}

/** How long after the page regains focus a chosen file's `change` may still arrive. */
const CHANGE_GRACE_MS = 1000

function pickInBrowser(): Promise<PickedVideo | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = ACCEPT.join(',')
    input.style.display = 'none'
    let done = false
    const finish = (file: File | undefined) => {
      if (done) return
      done = true
      input.remove()
      window.removeEventListener('focus', onFocus)
      resolve(file ? { path: URL.createObjectURL(file), name: file.name, size: file.size } : null)
    }
    // Browsers without the input's `cancel` event only give the page its focus back when the dialog closes.
    const onFocus = () => setTimeout(() => finish(input.files?.[0]), CHANGE_GRACE_MS)
    input.addEventListener('change', () => finish(input.files?.[0]))
    input.addEventListener('cancel', () => finish(undefined))
    window.addEventListener('focus', onFocus)
    document.body.appendChild(input)
    input.click()
  })
}

/** A browser file holds memory until released; weapp temp paths need nothing. */
export function releaseVideoFile(file: PickedVideo): void {
  if (file.path.startsWith('blob:')) URL.revokeObjectURL(file.path)
}
