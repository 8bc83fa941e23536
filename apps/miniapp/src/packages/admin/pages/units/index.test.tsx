/// <reference types="jest" />
import { ErrorCode, UnitKind, type UnitResponse } from '@qmfz/contracts'

import { settled } from '../../../../../test/jest/dom'
import { isolated } from '../../../../../test/jest/isolated'
import { taroMock } from '../../../../../test/jest/taro'

function unit(id: string, name: string, kind: UnitResponse['kind'] = UnitKind.VILLAGE): UnitResponse {
  return { id, townshipId: 't1', name, kind, createdAt: '2026-11-01T00:00:00.000Z' }
}

/** The township's units, kept in memory so the page's reloads see each change. */
function fakeUnitsApi(options: { refuseCreateWith?: { code: ErrorCode; message: string } } = {}) {
  const units = [unit('u1', '白土村'), unit('u2', '白土镇中心小学', UnitKind.SCHOOL)]
  taroMock.handleRequests((request) => {
    const path = request.url.replace('https://api.test/api', '')
    if (request.method === 'GET' && path === '/units') return { statusCode: 200, data: units }
    if (request.method === 'POST' && path === '/units') {
      if (options.refuseCreateWith) return { statusCode: 409, data: { ...options.refuseCreateWith, requestId: 'r' } }
      const body = request.data as { name: string; kind: UnitResponse['kind'] }
      const created = unit(`u${units.length + 1}`, body.name, body.kind)
      units.push(created)
      return { statusCode: 201, data: created }
    }
    const renamed = path.match(/^\/units\/(\w+)$/)
    if (request.method === 'PATCH' && renamed) {
      const target = units.find((candidate) => candidate.id === renamed[1])!
      target.name = (request.data as { name: string }).name
      return { statusCode: 200, data: target }
    }
    return { statusCode: 404, data: { code: ErrorCode.NOT_FOUND, message: 'no route', requestId: 'r' } }
  })
}

function openUnitsPage() {
  const app = isolated(() => ({
    Units: (require('./index') as typeof import('./index')).default,
    ...(require('../../../../api/session') as typeof import('../../../../api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.Units />)
  const nameInput = () => view.container.querySelector<HTMLInputElement>('.unit-create__name')!
  const within = (element: Element) => app.rtl.within(element as HTMLElement)
  return { ...app, ...view, nameInput, within }
}

const sent = (method: string) => taroMock.requests.filter((request) => request.method === method)

describe('township units page', () => {
  it('creates a unit with the typed name, trimmed, and the first kind (村) unless another is picked', async () => {
    fakeUnitsApi()
    const { rtl, findByText, nameInput } = openUnitsPage()
    await findByText('白土村')

    rtl.fireEvent.input(nameInput(), { target: { value: '  黄草村 ' } })
    rtl.fireEvent.click(await findByText('创建'))

    expect(await findByText('黄草村')).toBeTruthy()
    expect(sent('POST').map((request) => request.data)).toEqual([{ name: '黄草村', kind: UnitKind.VILLAGE }])
    await rtl.waitFor(() => expect(nameInput().value).toBe(''))
    expect(taroMock.calls('showToast')).toEqual([expect.objectContaining({ title: '单位已创建' })])
  })

  it('shows the server’s Chinese message when the name is taken and keeps the typed name', async () => {
    fakeUnitsApi({ refuseCreateWith: { code: ErrorCode.UNIT_NAME_TAKEN, message: '该乡镇已有同名单位' } })
    const { rtl, findByText, nameInput } = openUnitsPage()
    await findByText('白土村')

    rtl.fireEvent.input(nameInput(), { target: { value: '白土村' } })
    rtl.fireEvent.click(await findByText('创建'))

    expect(await findByText('该乡镇已有同名单位')).toBeTruthy()
    expect(nameInput().value).toBe('白土村')
    expect(taroMock.calls('showToast')).toHaveLength(0)
  })

  it('does not create a unit without a name', async () => {
    fakeUnitsApi()
    const { rtl, findByText, nameInput } = openUnitsPage()
    await findByText('白土村')

    rtl.fireEvent.input(nameInput(), { target: { value: '   ' } })
    rtl.fireEvent.click(await findByText('创建'))
    await settled(rtl)

    expect(sent('POST')).toHaveLength(0)
  })

  it('renames a unit in place and shows the new name', async () => {
    fakeUnitsApi()
    const { rtl, findByText, within, container } = openUnitsPage()
    const row = (await findByText('白土村')).closest('.unit-row')!

    rtl.fireEvent.click(within(row).getByText('改名'))
    const input = container.querySelector<HTMLInputElement>('.unit-row--editing input')!
    expect(input.value).toBe('白土村')
    rtl.fireEvent.input(input, { target: { value: '白土新村' } })
    rtl.fireEvent.click(await findByText('保存'))

    expect(await findByText('白土新村')).toBeTruthy()
    expect(sent('PATCH').map((request) => [request.url, request.data])).toEqual([['https://api.test/api/units/u1', { name: '白土新村' }]])
  })

  it('does not save a blank name', async () => {
    fakeUnitsApi()
    const { rtl, findByText, within, container } = openUnitsPage()
    const row = (await findByText('白土村')).closest('.unit-row')!

    rtl.fireEvent.click(within(row).getByText('改名'))
    rtl.fireEvent.input(container.querySelector('.unit-row--editing input')!, { target: { value: '  ' } })
    rtl.fireEvent.click(await findByText('保存'))
    await settled(rtl)

    expect(sent('PATCH')).toHaveLength(0)
  })

  it('cancelling a rename sends nothing and keeps the old name', async () => {
    fakeUnitsApi()
    const { rtl, findByText, within, container } = openUnitsPage()
    const row = (await findByText('白土村')).closest('.unit-row')!

    rtl.fireEvent.click(within(row).getByText('改名'))
    rtl.fireEvent.input(container.querySelector('.unit-row--editing input')!, { target: { value: '乱改' } })
    rtl.fireEvent.click(await findByText('取消'))
    await settled(rtl)

    expect(await findByText('白土村')).toBeTruthy()
    expect(sent('PATCH')).toHaveLength(0)
  })

  it('opens a unit’s admin page from 管理', async () => {
    fakeUnitsApi()
    const { rtl, findByText, within } = openUnitsPage()
    const row = (await findByText('白土镇中心小学')).closest('.unit-row')!

    rtl.fireEvent.click(within(row).getByText('管理'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/admin/pages/unit/index?unitId=u2' }])
  })

  it('opens 观看任务, where videos and campaigns are published', async () => {
    fakeUnitsApi()
    const { rtl, findByText } = openUnitsPage()
    await findByText('白土村')

    rtl.fireEvent.click(await findByText('观看任务'))

    expect(taroMock.calls('navigateTo')).toEqual([{ url: '/packages/admin/pages/campaigns/index' }])
  })
})
