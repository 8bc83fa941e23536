/// <reference types="jest" />
import {
  ErrorCode,
  Role,
  UnitKind,
  VideoSource,
  type CampaignResponse,
  type CreateCampaignRequest,
  type UnitResponse,
  type VideoResponse,
} from '@qmfz/contracts'

import { classesOf, pickOption, settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, type Reply, type SentRequest, type SentUpload } from '../../../../../test/jest/taro'

const DAY = 24 * 3600_000
const created = '2026-11-01T00:00:00.000Z'

function video(id: string, title: string, durationSeconds: number, source: VideoSource): VideoResponse {
  const url = source === VideoSource.URL ? `https://video.example.cn/${id}.mp4` : null
  return { id, title, source, url, contentType: 'video/mp4', durationSeconds, sizeBytes: null, createdAt: created }
}

function unit(id: string, name: string): UnitResponse {
  return { id, townshipId: 't1', name, kind: UnitKind.VILLAGE, createdAt: created }
}

const refusal = (status: number, code: ErrorCode, message: string): Reply => ({ statusCode: status, data: { code, message, requestId: 'r' } })

/** The township's videos, units and campaigns, kept in memory so the page's reloads see each change. */
function fakeCampaignsApi() {
  const videos = [video('v1', '警惕冒充客服退款', 750, VideoSource.UPLOAD), video('v2', '刷单返利骗局', 95, VideoSource.URL)]
  const units = [unit('u1', '白土村'), unit('u2', '白土镇中心小学'), unit('u3', '黄草村')]
  const campaigns: CampaignResponse[] = [
    {
      id: 'c1',
      title: '十月集中学习',
      video: videos[0],
      deadline: new Date(Date.now() + DAY).toISOString(),
      unitIds: ['u1'],
      roles: [Role.STAFF],
      headsFirst: false,
      createdAt: created,
    },
  ]
  const uploadReplies: Array<(upload: SentUpload) => Reply> = []

  taroMock.handleRequests((request) => {
    const route = `${request.method} ${request.url.replace('https://api.test/api', '')}`
    switch (route) {
      case 'GET /videos':
        return { statusCode: 200, data: videos }
      case 'GET /units':
        return { statusCode: 200, data: units }
      case 'GET /campaigns':
        return { statusCode: 200, data: campaigns }
      case 'POST /videos/external': {
        const body = request.data as { title: string; durationSeconds: number }
        const added = video(`v${videos.length + 1}`, body.title, body.durationSeconds, VideoSource.URL)
        videos.push(added)
        return { statusCode: 201, data: added }
      }
      case 'POST /campaigns': {
        const body = request.data as CreateCampaignRequest
        const campaign: CampaignResponse = { id: `c${campaigns.length + 1}`, ...body, video: videos.find((candidate) => candidate.id === body.videoId)!, createdAt: created }
        campaigns.push(campaign)
        return { statusCode: 201, data: campaign }
      }
      default:
        return refusal(404, ErrorCode.NOT_FOUND, `no route ${route}`)
    }
  })
  taroMock.handleUploads((upload) => {
    const reply = uploadReplies.shift()
    if (reply) return reply(upload)
    const fields = upload.formData as { title: string; durationSeconds?: string }
    const added = video(`v${videos.length + 1}`, fields.title, Number(fields.durationSeconds ?? 321), VideoSource.UPLOAD)
    videos.push(added)
    return { statusCode: 201, data: added }
  })
  return { videos, campaigns, uploadReplies }
}

function openCampaignsPage(platform: 'weapp' | 'h5' = 'h5') {
  process.env.TARO_ENV = platform
  const app = isolated(() => ({
    CampaignsAdmin: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.CampaignsAdmin />)
  const input = (selector: string) => view.container.querySelector<HTMLInputElement>(selector)!
  const type = (selector: string, value: string) => app.rtl.fireEvent.input(input(selector), { target: { value } })
  const within = (element: Element) => app.rtl.within(element as HTMLElement)
  return { ...app, ...view, input, type, within }
}

const sent = (method: string, path: string) =>
  taroMock.requests.filter((request: SentRequest) => request.method === method && request.url === `https://api.test/api${path}`)

describe('campaigns page: videos', () => {
  it('lists each video with its duration and whether it was uploaded or linked', async () => {
    fakeCampaignsApi()
    const { findByText, within } = openCampaignsPage()

    const uploaded = (await findByText('警惕冒充客服退款')).closest('.video')!
    const linked = (await findByText('刷单返利骗局')).closest('.video')!

    expect(within(uploaded).getByText('12分30秒')).toBeTruthy()
    expect(within(uploaded).getByText('上传')).toBeTruthy()
    expect(within(linked).getByText('1分35秒')).toBeTruthy()
    expect(within(linked).getByText('外链')).toBeTruthy()
  })

  it('adds a linked video with its title, address and duration in seconds, then lists it and clears the form', async () => {
    fakeCampaignsApi()
    const { rtl, findByText, type, input, container } = openCampaignsPage()
    await findByText('警惕冒充客服退款')

    rtl.fireEvent.click(await findByText('添加链接'))
    type('.video-link__title', ' 养老诈骗揭秘 ')
    type('.video-link__url', 'https://video.example.cn/yanglao.mp4')
    type('.video-link__duration .duration-field__minutes', '3')
    type('.video-link__duration .duration-field__seconds', '5')
    rtl.fireEvent.click(await findByText('添加'))

    expect(await findByText('养老诈骗揭秘')).toBeTruthy()
    expect(sent('POST', '/videos/external').map((request) => request.data)).toEqual([
      { title: '养老诈骗揭秘', url: 'https://video.example.cn/yanglao.mp4', durationSeconds: 185 },
    ])
    await rtl.waitFor(() => expect(input('.video-link__title').value).toBe(''))
    expect(container.querySelector('.videos')?.textContent).toContain('3分5秒')
  })

  it('does not add a linked video without a duration, saying why and keeping what was typed', async () => {
    fakeCampaignsApi()
    const { rtl, findByText, type, input } = openCampaignsPage()
    await findByText('警惕冒充客服退款')

    rtl.fireEvent.click(await findByText('添加链接'))
    type('.video-link__title', '养老诈骗揭秘')
    type('.video-link__url', 'https://video.example.cn/yanglao.mp4')
    rtl.fireEvent.click(await findByText('添加'))

    expect(await findByText('请填写视频时长')).toBeTruthy()
    await settled(rtl)
    expect(sent('POST', '/videos/external')).toHaveLength(0)
    expect(input('.video-link__title').value).toBe('养老诈骗揭秘')
  })

  it('does not add a link that is not a web address', async () => {
    fakeCampaignsApi()
    const { rtl, findByText, type } = openCampaignsPage()
    await findByText('警惕冒充客服退款')

    rtl.fireEvent.click(await findByText('添加链接'))
    type('.video-link__title', '养老诈骗揭秘')
    type('.video-link__url', 'video.example.cn/yanglao.mp4')
    type('.video-link__duration .duration-field__minutes', '3')
    rtl.fireEvent.click(await findByText('添加'))

    expect(await findByText('请填写以 https:// 或 http:// 开头的视频地址')).toBeTruthy()
    await settled(rtl)
    expect(sent('POST', '/videos/external')).toHaveLength(0)
  })
})

describe('campaigns page: uploading a video in WeChat', () => {
  const picked = { tempFiles: [{ path: 'wxfile://tmp/fanzha.mp4', name: '反诈宣传片.mp4', size: 12 * 1024 * 1024, type: 'video', time: 0 }], errMsg: 'chooseMessageFile:ok' }

  it('asks for privacy consent, picks a video from a chat and uploads it with its title; the duration is left to the server', async () => {
    fakeCampaignsApi()
    const order: string[] = []
    taroMock.answer('requirePrivacyAuthorize', () => order.push('consent') && { errMsg: 'requirePrivacyAuthorize:ok' })
    taroMock.answer('chooseMessageFile', () => order.push('pick') && picked)
    const { rtl, findByText, type, input } = openCampaignsPage('weapp')
    await findByText('警惕冒充客服退款')

    type('.video-upload__title', '反诈宣传片')
    rtl.fireEvent.click(await findByText('选择视频文件'))
    expect(await findByText('已选择：反诈宣传片.mp4（12.0 MB）')).toBeTruthy()
    rtl.fireEvent.click(await findByText('开始上传'))

    expect(await findByText('反诈宣传片')).toBeTruthy()
    expect(order).toEqual(['consent', 'pick'])
    expect(taroMock.uploads).toEqual([
      expect.objectContaining({ url: 'https://api.test/api/videos', filePath: 'wxfile://tmp/fanzha.mp4', name: 'file', formData: { title: '反诈宣传片' } }),
    ])
    expect(taroMock.uploads[0].header.Authorization).toBe('Bearer access-1')
    await rtl.waitFor(() => expect(input('.video-upload__title').value).toBe(''))
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '视频已上传' })])
  })

  it('keeps the form and the chosen file when the server cannot read the duration, and sends the duration typed next', async () => {
    const api = fakeCampaignsApi()
    api.uploadReplies.push(() => refusal(400, ErrorCode.VIDEO_DURATION_REQUIRED, '无法从文件读取视频时长，请填写时长'))
    taroMock.answer('chooseMessageFile', () => picked)
    const { rtl, findByText, type, input, getByText } = openCampaignsPage('weapp')
    await findByText('警惕冒充客服退款')

    type('.video-upload__title', '反诈宣传片')
    rtl.fireEvent.click(await findByText('选择视频文件'))
    await findByText('已选择：反诈宣传片.mp4（12.0 MB）')
    rtl.fireEvent.click(await findByText('开始上传'))

    expect(await findByText('无法从文件读取视频时长，请填写时长')).toBeTruthy()
    expect(input('.video-upload__title').value).toBe('反诈宣传片')
    expect(getByText('已选择：反诈宣传片.mp4（12.0 MB）')).toBeTruthy()

    type('.video-upload__duration .duration-field__minutes', '1')
    type('.video-upload__duration .duration-field__seconds', '40')
    rtl.fireEvent.click(await findByText('开始上传'))

    await rtl.waitFor(() => expect(taroMock.uploads).toHaveLength(2))
    expect(taroMock.uploads[1]).toMatchObject({ filePath: 'wxfile://tmp/fanzha.mp4', formData: { title: '反诈宣传片', durationSeconds: '100' } })
    expect(taroMock.calls('chooseMessageFile')).toHaveLength(1)
    expect(await findByText('1分40秒')).toBeTruthy()
  })

  it('shows the server’s message when the file is not a video it accepts', async () => {
    const api = fakeCampaignsApi()
    api.uploadReplies.push(() => refusal(400, ErrorCode.VIDEO_FILE_INVALID, '请上传 MP4 或 WebM 格式的视频文件'))
    taroMock.answer('chooseMessageFile', () => picked)
    const { rtl, findByText, type, input } = openCampaignsPage('weapp')
    await findByText('警惕冒充客服退款')

    type('.video-upload__title', '反诈宣传片')
    rtl.fireEvent.click(await findByText('选择视频文件'))
    await findByText('已选择：反诈宣传片.mp4（12.0 MB）')
    rtl.fireEvent.click(await findByText('开始上传'))

    expect(await findByText('请上传 MP4 或 WebM 格式的视频文件')).toBeTruthy()
    expect(input('.video-upload__title').value).toBe('反诈宣传片')
  })

  it('uploads nothing before a file is chosen, and says so', async () => {
    fakeCampaignsApi()
    const { rtl, findByText, type } = openCampaignsPage('weapp')
    await findByText('警惕冒充客服退款')

    type('.video-upload__title', '反诈宣传片')
    rtl.fireEvent.click(await findByText('开始上传'))

    expect(await findByText('请先选择视频文件')).toBeTruthy()
    expect(taroMock.uploads).toHaveLength(0)
  })
})

describe('campaigns page: publishing a campaign', () => {
  /** Fills what every campaign needs except the units: a title and the second video. */
  async function fillTitleAndVideo(page: ReturnType<typeof openCampaignsPage>) {
    await page.findByText('白土镇中心小学')
    page.type('.publish__title', ' 十一月反诈集中学习 ')
    await pickOption(page.rtl, page.getByText('请选择 ›'), '刷单返利骗局')
    await page.findByText('刷单返利骗局 ›')
  }
  const tapRow = (page: ReturnType<typeof openCampaignsPage>, rowClass: string, label: string) =>
    page.rtl.fireEvent.click(page.getByText(label, { selector: `${rowClass} .text` }))

  it('sends the campaign exactly as the contract has it and lists it', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await fillTitleAndVideo(page)

    tapRow(page, '.publish__unit', '白土镇中心小学')
    tapRow(page, '.publish__unit', '白土村')
    await pickOption(page.rtl, page.getByText('18:00 ›'), '20')
    page.rtl.fireEvent.click(page.getByText('领导先学'))
    page.rtl.fireEvent.click(page.getByText('发布'))

    expect(await page.findByText('十一月反诈集中学习')).toBeTruthy()
    const today = new Date()
    const deadline = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 7, 20, 0)
    expect(sent('POST', '/campaigns').map((request) => request.data)).toEqual([
      {
        title: '十一月反诈集中学习',
        videoId: 'v2',
        deadline: deadline.toISOString(),
        unitIds: ['u1', 'u2'],
        roles: [Role.STAFF, Role.UNIT_ADMIN],
        headsFirst: true,
      },
    ])
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '任务已发布' })])
    await page.rtl.waitFor(() => expect(page.input('.publish__title').value).toBe(''))
  })

  it('turns 领导先学 off, and says why, when unit admins need not watch', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await fillTitleAndVideo(page)

    tapRow(page, '.publish__unit', '黄草村')
    page.rtl.fireEvent.click(page.getByText('领导先学'))
    tapRow(page, '.publish__role', '单位管理员')
    page.rtl.fireEvent.click(page.getByText('发布'))

    expect(await page.findByText('需勾选“单位管理员”：由单位管理员先看，其他人员随后观看。')).toBeTruthy()
    await page.rtl.waitFor(() => expect(sent('POST', '/campaigns')).toHaveLength(1))
    expect(sent('POST', '/campaigns')[0].data).toMatchObject({ roles: [Role.STAFF], unitIds: ['u3'], headsFirst: false })
  })

  it('selects every unit at once with 全选', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await fillTitleAndVideo(page)

    page.rtl.fireEvent.click(page.getByText('全选'))

    expect(page.container.querySelectorAll('.publish__unit.choice--on')).toHaveLength(3)
    expect(await page.findByText('参加单位（已选 3）')).toBeTruthy()
    expect(page.getByText('全不选')).toBeTruthy()
  })

  it('sends nothing without a unit, and says so', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await fillTitleAndVideo(page)

    page.rtl.fireEvent.click(page.getByText('发布'))

    expect(await page.findByText('请至少选择一个单位')).toBeTruthy()
    await settled(page.rtl)
    expect(sent('POST', '/campaigns')).toHaveLength(0)
  })

  it('sends nothing once the deadline has passed, and says so', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await fillTitleAndVideo(page)
    tapRow(page, '.publish__unit', '白土村')

    // The form was left open: the default deadline, a week out, is behind us by now.
    const later = Date.now() + 8 * DAY
    jest.spyOn(Date, 'now').mockReturnValue(later)
    page.rtl.fireEvent.click(page.getByText('发布'))

    expect(await page.findByText('截止时间必须晚于现在')).toBeTruthy()
    await settled(page.rtl)
    expect(sent('POST', '/campaigns')).toHaveLength(0)
  })

  it('marks the chosen units and the default roles (工作人员 and 单位管理员)', async () => {
    fakeCampaignsApi()
    const page = openCampaignsPage()
    await page.findByText('白土镇中心小学')

    tapRow(page, '.publish__unit', '黄草村')

    const chosen = [...page.container.querySelectorAll('.choice--on')].map((row) => row.querySelector('.text')?.textContent)
    expect(chosen).toEqual(['黄草村', '工作人员', '单位管理员'])
    expect(classesOf(page.getByText('民警').closest('.choice'))).not.toContain('choice--on')
  })
})

describe('campaigns page: the list', () => {
  it('opens a campaign’s progress page', async () => {
    fakeCampaignsApi()
    const { rtl, findByText, within } = openCampaignsPage()
    const row = (await findByText('十月集中学习')).closest('.campaign-row')!

    expect(within(row).getByText(/1 个单位/)).toBeTruthy()
    rtl.fireEvent.click(within(row).getByText('进度'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/admin/pages/campaign/index?campaignId=c1' }])
  })
})
