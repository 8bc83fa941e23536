/// <reference types="jest" />
import { ErrorCode, type TipAttachmentResponse } from '@qmfz/contracts'

import { settled } from '../../../test/jest/dom'
import { deferred, taroMock, type Reply } from '../../../test/jest/taro'
import { completeDraft, created, DRAFT_KEY, pathOf, renderReport, tipBodies } from './report-fixtures'

const MB = 1024 * 1024
const storedImages = () => (taroMock.stored(DRAFT_KEY) as { images: Array<{ path: string; attachmentId: string | null }> }).images

const attachment = (id: string): Reply => ({
  statusCode: 201,
  data: { id, contentType: 'image/jpeg', sizeBytes: 1000, width: 800, height: 600 } satisfies TipAttachmentResponse,
})

/** The 举报 tab in WeChat, where the album answers with `picked` (the shared Taro mock has no chooseMedia). */
function openReport(picked: Array<{ tempFilePath: string; size: number }>, platform: 'weapp' | 'h5' = 'weapp', stubTaro?: (Taro: Record<string, unknown>) => void) {
  const view = renderReport(platform, (Taro) => {
    stubTaro?.(Taro)
    Taro.chooseMedia = async () => ({ tempFiles: picked.map((file) => ({ ...file, fileType: 'image' })), type: 'image', errMsg: 'chooseMedia:ok' })
    Taro.onNetworkStatusChange = () => undefined
  })
  const addImages = () => view.rtl.act(async () => view.rtl.fireEvent.click(view.getByText(/^添加图片/)))
  return { ...view, addImages }
}

describe('images of a tip', () => {
  it('uploads each chosen image at once, leaves out one over 5 MB saying why, and sends the ids with the tip', async () => {
    taroMock.handleUploads(() => attachment('01JATTACHMENT0000000000001'))
    taroMock.handleRequests(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport([
      { tempFilePath: 'wxfile://tmp/chat.jpg', size: 2 * MB },
      { tempFilePath: 'wxfile://tmp/huge.jpg', size: 6 * MB },
    ])

    await page.addImages()

    expect(await page.findByText('已上传')).toBeTruthy()
    expect(page.getByText('图片超过 5 MB，请截图或压缩后再选')).toBeTruthy()
    expect(taroMock.uploads.map((upload) => [pathOf(upload), upload.filePath, upload.name])).toEqual([
      ['/tips/attachments', 'wxfile://tmp/chat.jpg', 'file'],
    ])
    expect(taroMock.uploads[0].header.Authorization).toBe('Bearer access-1')
    expect(storedImages()).toEqual([expect.objectContaining({ path: 'wxfile://tmp/chat.jpg', attachmentId: '01JATTACHMENT0000000000001' })])
    expect(page.getByText('添加图片（1/6）')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('提交举报'))
    await page.findByText('举报已提交')
    expect(tipBodies().map((body) => body.attachmentIds)).toEqual([['01JATTACHMENT0000000000001']])
  })

  it('shows a refused upload with the server’s message beside the image, and uploads it again on 重试', async () => {
    const replies: Reply[] = [
      { statusCode: 400, data: { code: ErrorCode.TIP_ATTACHMENT_INVALID, message: '请上传 JPG、PNG 或 WebP 格式的图片', requestId: 'r' } },
      attachment('01JATTACHMENT0000000000002'),
    ]
    taroMock.handleUploads(() => replies.shift()!)
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport([{ tempFilePath: 'wxfile://tmp/photo.heic', size: MB }])

    await page.addImages()
    expect(await page.findByText('上传失败：请上传 JPG、PNG 或 WebP 格式的图片')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('重试'))

    expect(await page.findByText('已上传')).toBeTruthy()
    expect(taroMock.uploads).toHaveLength(2)
  })

  it('does not send the tip while an image is refused, and says which one to remove', async () => {
    taroMock.handleUploads(() => ({ statusCode: 413, data: { code: ErrorCode.TIP_ATTACHMENT_TOO_LARGE, message: '图片不能超过 5 MB', requestId: 'r' } }))
    taroMock.handleRequests(() => ({ statusCode: 500, data: {} }))
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport([{ tempFilePath: 'wxfile://tmp/big.png', size: 4 * MB }])
    await page.addImages()
    await page.findByText('上传失败：图片不能超过 5 MB')

    page.rtl.fireEvent.click(page.getByText('提交举报'))

    expect(await page.findByText('第 1 张图片未能上传：图片不能超过 5 MB。请删除这张图片或重新选择。')).toBeTruthy()
    expect(tipBodies()).toHaveLength(0)
    page.rtl.fireEvent.click(page.getByText('删除第 1 张'))
    expect(storedImages()).toEqual([])
  })

  it('keeps an image that could not upload offline, marks the tip 待发送, and uploads it first when sending again', async () => {
    let online = false
    taroMock.handleUploads(() => {
      if (!online) throw { errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' }
      return attachment('01JATTACHMENT0000000000003')
    })
    taroMock.handleRequests(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport([{ tempFilePath: 'wxfile://tmp/transfer.jpg', size: MB }])
    await page.addImages()
    await page.findByText('上传失败：网络连接失败，请检查网络后重试')

    page.rtl.fireEvent.click(page.getByText('提交举报'))
    expect(await page.findByText('待发送')).toBeTruthy()
    expect(tipBodies()).toHaveLength(0)

    online = true
    await page.rtl.act(async () => taroMock.showPage())

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(tipBodies().map((body) => body.attachmentIds)).toEqual([['01JATTACHMENT0000000000003']])
  })

  it('uploads an image only once when 提交 is tapped while its upload is still running', async () => {
    const upload = deferred<Reply>()
    taroMock.handleUploads(() => upload.promise)
    taroMock.handleRequests(() => created())
    taroMock.store(DRAFT_KEY, completeDraft())
    const page = openReport([{ tempFilePath: 'wxfile://tmp/slow.jpg', size: MB }])
    await page.addImages()
    expect(page.getByText('上传中…')).toBeTruthy()

    page.rtl.fireEvent.click(page.getByText('提交举报'))
    await settled(page.rtl)
    await page.rtl.act(async () => upload.resolve(attachment('01JATTACHMENT0000000000004')))

    expect(await page.findByText('举报已提交')).toBeTruthy()
    expect(taroMock.uploads).toHaveLength(1)
    expect(tipBodies().map((body) => body.attachmentIds)).toEqual([['01JATTACHMENT0000000000004']])
  })

  it('shows 上传中 NN% beside each image from its own upload’s progress, and 已上传 once it is on the server', async () => {
    const replies = [deferred<Reply>(), deferred<Reply>()]
    taroMock.handleUploads((upload) => replies[upload.filePath.endsWith('a.jpg') ? 0 : 1].promise)
    taroMock.store(DRAFT_KEY, completeDraft())
    const progressOf = new Map<string, (result: { progress: number }) => void>()
    const page = openReport(
      [
        { tempFilePath: 'wxfile://tmp/a.jpg', size: 5 * MB - 1 },
        { tempFilePath: 'wxfile://tmp/b.jpg', size: MB },
      ],
      'weapp',
      (Taro) => {
        const real = Taro.uploadFile as (options: { filePath: string }) => Promise<unknown>
        Taro.uploadFile = (options: { filePath: string }) =>
          Object.assign(real(options), { onProgressUpdate: (listener: (result: { progress: number }) => void) => progressOf.set(options.filePath, listener) })
      },
    )
    await page.addImages()
    expect(page.getAllByText('上传中…')).toHaveLength(2)

    await page.rtl.act(async () => {
      progressOf.get('wxfile://tmp/a.jpg')!({ progress: 42 })
      progressOf.get('wxfile://tmp/b.jpg')!({ progress: 7 })
    })
    expect(page.getByText('上传中 42%')).toBeTruthy()
    expect(page.getByText('上传中 7%')).toBeTruthy()

    await page.rtl.act(async () => progressOf.get('wxfile://tmp/a.jpg')!({ progress: 100 }))
    expect(page.getByText('上传中 100%')).toBeTruthy()
    await page.rtl.act(async () => replies[0].resolve(attachment('01JATTACHMENT0000000000006')))
    expect(await page.findByText('已上传')).toBeTruthy()
    expect(page.getByText('上传中 7%')).toBeTruthy()
    // A late report for the finished image does not bring its progress back.
    await page.rtl.act(async () => progressOf.get('wxfile://tmp/a.jpg')!({ progress: 100 }))
    expect(page.queryByText('上传中 100%')).toBeNull()
    await page.rtl.act(async () => replies[1].resolve(attachment('01JATTACHMENT0000000000007')))
    expect(await page.findAllByText('已上传')).toHaveLength(2)
  })

  it('on the web, restores uploaded images of a stored draft and drops the ones whose browser copy died with the page', async () => {
    taroMock.store(
      DRAFT_KEY,
      completeDraft({
        images: [
          { key: 'a', path: 'blob:https://app.test/1', size: MB, attachmentId: '01JATTACHMENT0000000000005' },
          { key: 'b', path: 'blob:https://app.test/2', size: MB, attachmentId: null },
        ],
      }),
    )
    const page = openReport([], 'h5')

    expect(page.getByText('有 1 张未上传完的图片在程序关闭后已失效，请重新添加。')).toBeTruthy()
    expect(page.getByText('已上传')).toBeTruthy()
    expect(page.getByText('图 1')).toBeTruthy()
    expect(storedImages()).toEqual([expect.objectContaining({ path: '', attachmentId: '01JATTACHMENT0000000000005' })])
  })
})
