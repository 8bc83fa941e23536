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

function pickInBrowser(): Promise<PickedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = EXTENSIONS.map((ext) => `.${ext}`).join(',')
    input.style.display = 'none'
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      input.remove()
      resolve(file ? { path: URL.createObjectURL(file), name: file.name } : null)
    })
    input.addEventListener('cancel', () => {
      input.remove()
      resolve(null)
    })
    document.body.appendChild(input)
    input.click()
  })
}
