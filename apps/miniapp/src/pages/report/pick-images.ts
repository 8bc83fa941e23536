import Taro from '@tarojs/taro'
import { TIP_IMAGE_TYPES, TIP_LIMITS } from '@qmfz/contracts'

import { IN_WECHAT } from '../../env'
import { ensurePrivacyConsent } from '../../state/privacy'

export interface PickedImage {
  /** A weapp temp path or an h5 blob: URL, as Taro.uploadFile takes it. */
  path: string
  size: number
  /** The browser's file name and type; WeChat gives neither (the server checks the bytes anyway). */
  name?: string
  type?: string
}

/**
 * Up to `count` images: the album or camera in WeChat (a privacy API, so consent first), the file dialog in a
 * browser. Resolves [] when the person cancels or declines consent.
 */
export async function pickImages(count: number): Promise<PickedImage[]> {
  if (count <= 0) return []
  if (IN_WECHAT) {
    if (!(await ensurePrivacyConsent())) {
      void Taro.showToast({ title: '需同意隐私保护指引后才能选择图片', icon: 'none' })
      return []
    }
    return pickInWeChat(count)
  }
  return pickInBrowser(count)
}

async function pickInWeChat(count: number): Promise<PickedImage[]> {
  // chooseMedia from base library 2.10.0; chooseImage before that.
  if (typeof Taro.chooseMedia === 'function') {
    const result = await Taro.chooseMedia({ count, mediaType: ['image'], sourceType: ['album', 'camera'] }).catch(() => null)
    return (result?.tempFiles ?? []).map((file) => ({ path: file.tempFilePath, size: file.size }))
  }
  const result = await Taro.chooseImage({ count, sourceType: ['album', 'camera'] }).catch(() => null)
  return (result?.tempFiles ?? []).map((file) => ({ path: file.path, size: file.size }))
}

/** How long after the page regains focus a chosen file's `change` may still arrive. */
const CHANGE_GRACE_MS = 1000

function pickInBrowser(count: number): Promise<PickedImage[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = TIP_IMAGE_TYPES.join(',')
    input.multiple = count > 1
    input.style.display = 'none'
    let done = false
    const finish = () => {
      if (done) return
      done = true
      input.remove()
      window.removeEventListener('focus', onFocus)
      const files = Array.from(input.files ?? []).slice(0, count)
      resolve(files.map((file) => ({ path: URL.createObjectURL(file), size: file.size, name: file.name, type: file.type })))
    }
    // Browsers without the input's `cancel` event only give the page its focus back when the dialog closes.
    const onFocus = () => setTimeout(finish, CHANGE_GRACE_MS)
    input.addEventListener('change', finish)
    input.addEventListener('cancel', finish)
    window.addEventListener('focus', onFocus)
    document.body.appendChild(input)
    input.click()
  })
}

/** Why an image cannot be sent, before it is uploaded; null when it may go. The server checks the bytes again. */
export function imageProblem(image: PickedImage): string | null {
  if (image.size > TIP_LIMITS.imageMaxBytes) return `图片超过 ${TIP_LIMITS.imageMaxBytes / 1024 / 1024} MB，请截图或压缩后再选`
  if (image.type && !(TIP_IMAGE_TYPES as readonly string[]).includes(image.type)) return '仅支持 JPG、PNG、WebP 格式的图片'
  return null
}

/** A browser image holds memory until released; weapp temp paths need nothing. */
export function releaseImage(path: string): void {
  if (path.startsWith('blob:')) URL.revokeObjectURL(path)
}

/**
 * False when a stored draft's local image is gone: a blob: URL does not outlive the browser page, and WeChat may
 * clear temp files after the app closes. Such an image has to be chosen again.
 */
export function localImageSurvives(path: string): boolean {
  if (path.startsWith('blob:')) return false
  if (!IN_WECHAT) return true
  try {
    const files = Taro.getFileSystemManager() as Partial<Pick<Taro.FileSystemManager, 'accessSync'>>
    files.accessSync?.(path)
    return true
  } catch {
    return false
  }
}
