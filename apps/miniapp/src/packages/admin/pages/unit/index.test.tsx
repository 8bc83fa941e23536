/// <reference types="jest" />
import {
  ErrorCode,
  Role,
  UnitKind,
  VideoSource,
  type CampaignResponse,
  type InviteResponse,
  type MemberResponse,
  type RosterEntryResponse,
  type RosterImportResponse,
  type UnitResponse,
} from '@qmfz/contracts'

import { settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock, type Reply, type SentRequest } from '../../../../../test/jest/taro'

const HOUR = 3600_000
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString()

const unit: UnitResponse = { id: 'u1', townshipId: 't1', name: '白土镇中心小学', kind: UnitKind.SCHOOL, createdAt: iso(-HOUR) }

function member(id: string, displayName: string, status: MemberResponse['status']): MemberResponse {
  return { id, userId: `user-${id}`, displayName, phoneMasked: '138****0000', role: Role.STAFF, status, createdAt: iso(-HOUR), decidedAt: null }
}

function campaign(id: string, title: string, unitIds: string[]): CampaignResponse {
  const video = { id: 'v1', title: '警惕冒充客服退款', source: VideoSource.URL, url: 'https://video.example.cn/v1.mp4', contentType: null, durationSeconds: 600, sizeBytes: null, createdAt: iso(-HOUR) }
  return { id, title, video, deadline: '2026-12-01T10:00:00.000Z', unitIds, roles: [Role.STAFF], headsFirst: false, createdAt: iso(-HOUR) }
}

function invite(id: string, code: string, overrides: Partial<InviteResponse> = {}): InviteResponse {
  return { id, unitId: 'u1', code, role: Role.STAFF, expiresAt: iso(72 * HOUR), revokedAt: null, createdAt: iso(-HOUR), ...overrides }
}

/** A small API for one unit, kept in memory so the page's reloads see each change. */
function fakeUnitApi() {
  const members = [member('m1', '李老师', 'pending'), member('m2', '王老师', 'active')]
  const invites = [
    invite('i1', 'GOODCODE'),
    invite('i2', 'OLDCODE1', { expiresAt: iso(-HOUR) }),
    invite('i3', 'REVOKED1', { revokedAt: iso(-HOUR) }),
  ]
  const roster: RosterEntryResponse[] = [{ id: 'r1', displayName: '赵老师', phoneMasked: '139****1111', role: Role.STAFF, claimed: false }]
  // A township admin sees every campaign; this page shows those that include its unit.
  const campaigns = [campaign('c1', '十一月集中学习', ['u1', 'u2']), campaign('c2', '黄草村专项', ['u3'])]
  const overrides = new Map<string, (request: SentRequest) => Reply>()

  taroMock.handleRequests((request) => {
    const route = `${request.method} ${request.url.replace('https://api.test/api', '')}`
    const override = overrides.get(route)
    if (override) return override(request)
    const decision = route.match(/^POST \/units\/u1\/members\/(\w+)\/(approve|reject)$/)
    if (decision) {
      const target = members.find((candidate) => candidate.id === decision[1])!
      target.status = decision[2] === 'approve' ? 'active' : 'rejected'
      return { statusCode: 200, data: target }
    }
    const revoked = route.match(/^DELETE \/units\/u1\/invites\/(\w+)$/)
    if (revoked) {
      invites.find((candidate) => candidate.id === revoked[1])!.revokedAt = iso(0)
      return { statusCode: 204 }
    }
    switch (route) {
      case 'GET /units':
        return { statusCode: 200, data: [unit] }
      case 'GET /units/u1/members':
        return { statusCode: 200, data: members }
      case 'GET /units/u1/invites':
        return { statusCode: 200, data: invites }
      case 'GET /units/u1/roster':
        return { statusCode: 200, data: roster }
      case 'GET /campaigns':
        return { statusCode: 200, data: campaigns }
      case 'POST /units/u1/invites': {
        const created = invite(`i${invites.length + 1}`, 'NEWCODE1', { role: (request.data as { role: Role }).role })
        invites.push(created)
        return { statusCode: 201, data: created }
      }
      default:
        return { statusCode: 404, data: { code: ErrorCode.NOT_FOUND, message: `no route ${route}`, requestId: 'r' } }
    }
  })
  return { overrides, roster }
}

function openUnitPage(platform: 'weapp' | 'h5' = 'h5') {
  process.env.TARO_ENV = platform
  taroMock.setRouterParams({ unitId: 'u1' })
  const app = isolated(() => ({
    UnitAdmin: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.UnitAdmin />)
  const within = (element: Element) => app.rtl.within(element as HTMLElement)
  return { ...app, ...view, within }
}

const sent = (method: string, path: string) =>
  taroMock.requests.filter((request) => request.method === method && request.url === `https://api.test/api${path}`)

describe('unit admin page: applications', () => {
  it('shows the unit’s name and the pending application apart from the members', async () => {
    fakeUnitApi()
    const { findByText, container } = openUnitPage()

    expect(await findByText('白土镇中心小学')).toBeTruthy()
    expect(await findByText('待审批（1）')).toBeTruthy()
    expect(container.querySelector('.members-pending')?.textContent).toContain('李老师')
    expect(container.querySelector('.members-pending')?.textContent).not.toContain('王老师')
    expect(container.querySelector('.members')?.textContent).toContain('王老师')
  })

  it('approving an application tells the server and moves the person into the members list', async () => {
    fakeUnitApi()
    const { rtl, findByText, container } = openUnitPage()
    await findByText('李老师')

    rtl.fireEvent.click(await findByText('批准'))

    expect(await findByText('待审批（0）')).toBeTruthy()
    expect(sent('POST', '/units/u1/members/m1/approve')).toHaveLength(1)
    expect(sent('POST', '/units/u1/members/m1/reject')).toHaveLength(0)
    expect(container.querySelector('.members')?.textContent).toContain('李老师')
  })

  it('rejecting an application sends a rejection, never an approval', async () => {
    fakeUnitApi()
    const { rtl, findByText } = openUnitPage()
    await findByText('李老师')

    rtl.fireEvent.click(await findByText('拒绝'))

    expect(await findByText('待审批（0）')).toBeTruthy()
    expect(sent('POST', '/units/u1/members/m1/reject')).toHaveLength(1)
    expect(sent('POST', '/units/u1/members/m1/approve')).toHaveLength(0)
  })

  it('shows the server’s Chinese message when the application was already decided elsewhere', async () => {
    const { overrides } = fakeUnitApi()
    overrides.set('POST /units/u1/members/m1/approve', () => ({
      statusCode: 409,
      data: { code: ErrorCode.MEMBERSHIP_NOT_PENDING, message: '该申请已处理', requestId: 'r' },
    }))
    const { rtl, findByText } = openUnitPage()
    await findByText('李老师')

    rtl.fireEvent.click(await findByText('批准'))

    expect(await findByText('该申请已处理')).toBeTruthy()
  })
})

describe('unit admin page: invite codes', () => {
  it('lists only codes that still work: not expired, not revoked', async () => {
    fakeUnitApi()
    const { findByText, queryByText } = openUnitPage()

    expect(await findByText('GOODCODE')).toBeTruthy()
    expect(queryByText('OLDCODE1')).toBeNull()
    expect(queryByText('REVOKED1')).toBeNull()
  })

  it('generates a code for the chosen role (工作人员 by default) and shows it', async () => {
    fakeUnitApi()
    const { rtl, findByText } = openUnitPage()
    await findByText('GOODCODE')

    rtl.fireEvent.click(await findByText('生成邀请码'))

    expect(await findByText('NEWCODE1')).toBeTruthy()
    expect(sent('POST', '/units/u1/invites').map((request) => request.data)).toEqual([{ role: Role.STAFF }])
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '邀请码已生成' })])
  })

  it('copies a code to the clipboard', async () => {
    fakeUnitApi()
    const { rtl, findByText, within } = openUnitPage()
    const row = (await findByText('GOODCODE')).closest('.invite')!

    rtl.fireEvent.click(within(row).getByText('复制'))

    expect(taroMock.calls('setClipboardData')).toEqual([expect.objectContaining({ data: 'GOODCODE' })])
  })

  it('revoking a code asks first, naming the code, then deletes it on the server and removes it from the list', async () => {
    fakeUnitApi()
    taroMock.answerModals({ confirm: true })
    const { rtl, findByText, within, queryByText } = openUnitPage()
    const row = (await findByText('GOODCODE')).closest('.invite')!

    rtl.fireEvent.click(within(row).getByText('撤销'))

    await rtl.waitFor(() => expect(queryByText('GOODCODE')).toBeNull())
    expect(taroMock.calls('showModal')).toEqual([expect.objectContaining({ content: expect.stringContaining('GOODCODE') })])
    expect(sent('DELETE', '/units/u1/invites/i1')).toHaveLength(1)
  })

  it('keeps the code and sends nothing when the admin cancels the revocation', async () => {
    fakeUnitApi()
    taroMock.answerModals({ confirm: false })
    const { rtl, findByText, within, getByText } = openUnitPage()
    const row = (await findByText('GOODCODE')).closest('.invite')!

    rtl.fireEvent.click(within(row).getByText('撤销'))
    await rtl.waitFor(() => expect(taroMock.calls('showModal')).toHaveLength(1))
    await settled(rtl)

    expect(getByText('GOODCODE')).toBeTruthy()
    expect(taroMock.requests.filter((request) => request.method === 'DELETE')).toHaveLength(0)
    expect(taroMock.calls('showToast')).toHaveLength(0)
  })
})

describe('unit admin page: roster import in WeChat', () => {
  const picked = { tempFiles: [{ path: 'wxfile://tmp/roster.xlsx', name: '教职工名册.xlsx', size: 2048, type: 'file', time: 0 }], errMsg: 'chooseMessageFile:ok' }
  const report: RosterImportResponse = { imported: 2, updated: 1, errors: [{ line: 4, reason: '手机号格式不正确' }] }

  it('asks for privacy consent before opening the chat file picker, uploads the chosen file and reports the result', async () => {
    fakeUnitApi()
    const order: string[] = []
    taroMock.answer('requirePrivacyAuthorize', () => order.push('consent') && { errMsg: 'requirePrivacyAuthorize:ok' })
    taroMock.answer('chooseMessageFile', () => order.push('pick') && picked)
    taroMock.handleUploads(() => ({ statusCode: 201, data: report }))
    const { rtl, findByText } = openUnitPage('weapp')
    await findByText('赵老师')

    rtl.fireEvent.click(await findByText('导入名册文件'))

    expect(await findByText('新增 2 人，更新 1 人')).toBeTruthy()
    expect(await findByText('第 4 行：手机号格式不正确')).toBeTruthy()
    expect(order).toEqual(['consent', 'pick'])
    expect(taroMock.calls('chooseMessageFile')).toEqual([expect.objectContaining({ count: 1, extension: ['csv', 'xlsx'] })])
    expect(taroMock.uploads).toEqual([
      expect.objectContaining({ url: 'https://api.test/api/units/u1/roster', filePath: 'wxfile://tmp/roster.xlsx', name: 'file' }),
    ])
    expect(taroMock.uploads[0].header.Authorization).toBe('Bearer access-1')
  })

  it('clears the last import’s result when the next import fails, so an old report never looks like the new one', async () => {
    fakeUnitApi()
    taroMock.answer('chooseMessageFile', () => picked)
    let uploads = 0
    taroMock.handleUploads(() => {
      uploads += 1
      if (uploads === 1) return { statusCode: 201, data: report }
      return { statusCode: 400, data: { code: ErrorCode.ROSTER_FILE_INVALID, message: '名册文件无法读取，请上传 CSV 或 XLSX 文件', requestId: 'r' } }
    })
    const { rtl, findByText, queryByText } = openUnitPage('weapp')
    await findByText('赵老师')

    rtl.fireEvent.click(await findByText('导入名册文件'))
    await findByText('新增 2 人，更新 1 人')
    rtl.fireEvent.click(await findByText('导入名册文件'))

    expect(await findByText('名册文件无法读取，请上传 CSV 或 XLSX 文件')).toBeTruthy()
    expect(queryByText('新增 2 人，更新 1 人')).toBeNull()
    expect(queryByText('第 4 行：手机号格式不正确')).toBeNull()
  })

  it('uploads nothing and shows no error when the person closes the file picker', async () => {
    fakeUnitApi()
    const { rtl, findByText, container } = openUnitPage('weapp')
    await findByText('赵老师')

    rtl.fireEvent.click(await findByText('导入名册文件'))

    await rtl.waitFor(() => expect(taroMock.calls('chooseMessageFile')).toHaveLength(1))
    await settled(rtl)
    expect(taroMock.uploads).toHaveLength(0)
    expect(container.querySelector('.roster .message--error')).toBeNull()
  })

  it('never opens the file picker when the person declines the privacy consent, and says why', async () => {
    fakeUnitApi()
    taroMock.answer('requirePrivacyAuthorize', () => {
      throw { errMsg: 'requirePrivacyAuthorize:fail privacy permission is not authorized' }
    })
    const { rtl, container, findByText } = openUnitPage('weapp')
    await findByText('赵老师')

    rtl.fireEvent.click(await findByText('导入名册文件'))
    await rtl.waitFor(() => expect(taroMock.calls('requirePrivacyAuthorize')).toHaveLength(1))
    await settled(rtl)

    expect(taroMock.calls('chooseMessageFile')).toHaveLength(0)
    expect(taroMock.uploads).toHaveLength(0)
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '需同意隐私保护指引后才能选择文件' })])
    // Declining is the person's choice, not a server failure, and leaves no rejection unhandled.
    expect(container.querySelector('.roster .message--error')).toBeNull()
    expect(taroMock.droppedFailures).toEqual([])
  })
})

describe('unit admin page: 观看任务', () => {
  it('lists the campaigns that include this unit and opens one’s progress', async () => {
    fakeUnitApi()
    const { rtl, findByText, queryByText, within } = openUnitPage()
    const row = (await findByText('十一月集中学习')).closest('.unit-campaign')!

    expect(queryByText('黄草村专项')).toBeNull()
    rtl.fireEvent.click(within(row).getByText('查看进度'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/admin/pages/campaign/index?campaignId=c1' }])
  })

  it('says so when no campaign includes this unit', async () => {
    const { overrides } = fakeUnitApi()
    overrides.set('GET /campaigns', () => ({ statusCode: 200, data: [campaign('c2', '黄草村专项', ['u3'])] }))
    const { findByText } = openUnitPage()

    expect(await findByText('暂无本单位的观看任务。')).toBeTruthy()
  })
})
