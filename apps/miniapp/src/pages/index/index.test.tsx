/// <reference types="jest" />
import { fireEvent, render, screen } from '@testing-library/react'

import { settled } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'
import { taroMock } from '../../../test/jest/taro'
import Home from './index'

describe('home page', () => {
  it('copies the name of the national anti-fraud app, so people can search for it in their app store', () => {
    render(<Home />)

    fireEvent.click(screen.getByText('复制应用名称'))

    expect(taroMock.calls('setClipboardData')).toEqual([expect.objectContaining({ data: '国家反诈中心' })])
  })

  it('opens each area’s page in its subpackage from the shortcuts', () => {
    render(<Home />)

    fireEvent.click(screen.getByText('观看打卡'))
    fireEvent.click(screen.getByText('举报进度'))
    fireEvent.click(screen.getByText('家校通知'))

    expect(taroMock.calls('navigateTo')).toEqual([
      { url: '/packages/video/pages/campaigns/index' },
      { url: '/packages/tips/pages/follow-up/index' },
      { url: '/packages/school/pages/notices/index' },
    ])
  })

  it('calls no API, even for a signed-in person: the hotlines must work for anyone, even offline', async () => {
    const app = isolated(() => ({
      Home: (require('./index') as typeof import('./index')).default,
      ...(require('../../api/session') as typeof import('../../api/session')),
    }))
    app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })

    app.rtl.render(<app.Home />)
    await settled(app.rtl)

    expect(app.rtl.screen.getByText('拨打 96110')).toBeTruthy()
    expect(taroMock.requests).toHaveLength(0)
  })
})
