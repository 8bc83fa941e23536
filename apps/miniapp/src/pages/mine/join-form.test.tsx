/// <reference types="jest" />
import { ErrorCode, type MembershipResponse } from '@qmfz/contracts'

import { classesOf, settled } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { deferred, networkFailure, taroMock, type Reply } from '../../../test/jest/taro'

const membership: MembershipResponse = {
  id: 'm1',
  unitId: 'u1',
  unitName: '白土镇中心小学',
  unitKind: 'school' as MembershipResponse['unitKind'],
  role: 'teacher' as MembershipResponse['role'],
  status: 'pending' as MembershipResponse['status'],
  createdAt: '2026-11-30T00:00:00.000Z',
}

async function renderJoinForm() {
  const { rtl, JoinForm, session } = isolated(() => ({
    ...(require('./join-form') as typeof import('./join-form')),
    ...(require('../../api/session') as typeof import('../../api/session')),
  }))
  session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const onJoined = jest.fn()
  const view = rtl.render(<JoinForm onJoined={onJoined} />)
  const codeInput = () => view.container.querySelector<HTMLInputElement>('.join-form__code')!
  const type = (value: string) => rtl.fireEvent.input(codeInput(), { target: { value } })
  const tapJoin = () => rtl.fireEvent.click(view.getByText('加入', { selector: '.btn' }))
  return { ...view, rtl, onJoined, codeInput, type, tapJoin }
}

const joins = () => taroMock.requests.filter((request) => request.url.endsWith('/api/memberships/join'))

describe('joining a unit with an invite code', () => {
  it('sends the code in capitals, then confirms with the unit’s name and clears the field', async () => {
    taroMock.handleRequests(() => ({ statusCode: 201, data: membership }))
    const { rtl, type, tapJoin, codeInput, onJoined, findByText } = await renderJoinForm()

    type(' ab12cd34 ')
    tapJoin()

    expect(await findByText('已申请加入“白土镇中心小学”，请等待单位管理员审批')).toBeTruthy()
    expect(joins().map((request) => request.data)).toEqual([{ code: 'AB12CD34' }])
    await rtl.waitFor(() => expect(codeInput().value).toBe(''))
    expect(onJoined).toHaveBeenCalledTimes(1)
  })

  it('shows the server’s Chinese message under the field, marks the field, and keeps what was typed', async () => {
    taroMock.handleRequests(() => ({
      statusCode: 404,
      data: { code: ErrorCode.INVITE_NOT_FOUND, message: '邀请码不存在或已撤销', requestId: 'r1' },
    }))
    const { type, tapJoin, codeInput, onJoined, findByText } = await renderJoinForm()

    type('ZZZZ9999')
    tapJoin()

    expect(await findByText('邀请码不存在或已撤销')).toBeTruthy()
    expect(codeInput().value).toBe('ZZZZ9999')
    expect(classesOf(codeInput().closest('.field__input') ?? codeInput())).toContain('field__input--invalid')
    expect(onJoined).not.toHaveBeenCalled()
  })

  it('tells the person in Chinese when the network is down, and sends the join only once', async () => {
    taroMock.handleRequests(() => {
      throw networkFailure()
    })
    const { type, tapJoin, codeInput, findByText } = await renderJoinForm()

    type('AB12CD34')
    tapJoin()

    expect(await findByText('网络连接失败，请检查网络后重试')).toBeTruthy()
    expect(joins()).toHaveLength(1)
    expect(codeInput().value).toBe('AB12CD34')
  })

  it('clears the error as soon as the person edits the code', async () => {
    taroMock.handleRequests(() => ({
      statusCode: 410,
      data: { code: ErrorCode.INVITE_EXPIRED, message: '邀请码已过期', requestId: 'r1' },
    }))
    const { rtl, type, tapJoin, findByText, queryByText } = await renderJoinForm()

    type('AB12CD34')
    tapJoin()
    await findByText('邀请码已过期')
    type('AB12CD35')

    await rtl.waitFor(() => expect(queryByText('邀请码已过期')).toBeNull())
  })

  it('sends once when the button is tapped twice while the first join is on its way', async () => {
    const answer = deferred<Reply>()
    taroMock.handleRequests(() => answer.promise)
    const { rtl, type, tapJoin, findByText } = await renderJoinForm()

    type('AB12CD34')
    tapJoin()
    tapJoin()
    await rtl.act(async () => {
      answer.resolve({ statusCode: 201, data: membership })
    })

    expect(await findByText(/已申请加入/)).toBeTruthy()
    expect(joins()).toHaveLength(1)
  })

  it('does not send an empty code', async () => {
    taroMock.handleRequests(() => ({ statusCode: 201, data: membership }))
    const { rtl, type, tapJoin } = await renderJoinForm()

    type('   ')
    tapJoin()
    await settled(rtl)

    expect(joins()).toHaveLength(0)
  })
})
