/// <reference types="jest" />
import { taroMock } from '../../../test/jest/taro'
import { fireOpenTypeEvent, openTypeOf } from '../../../test/jest/dom'
import { isolated } from '../../../test/jest/isolated'

/** The app as started on a platform: IN_WECHAT is fixed when the env module loads. */
function startApp(platform: 'weapp' | 'h5') {
  process.env.TARO_ENV = platform
  const app = isolated(() => ({
    ...(require('../page-shell') as typeof import('../page-shell')),
    ...(require('../../state/privacy') as typeof import('../../state/privacy')),
  }))
  app.listenForPrivacyRequests()
  const view = app.rtl.render(
    <app.PageShell>
      <div>page content</div>
    </app.PageShell>,
  )
  return { ...app, ...view }
}

describe('privacy consent sheet', () => {
  it('stays hidden until WeChat asks for consent', () => {
    const { queryByText, getByText } = startApp('weapp')

    expect(getByText('page content')).toBeTruthy()
    expect(queryByText('隐私保护提示')).toBeNull()
  })

  it('appears when WeChat holds a privacy API back, telling WeChat the sheet is showing', () => {
    const { rtl, getByText } = startApp('weapp')

    let answers: unknown[] = []
    rtl.act(() => {
      answers = taroMock.needPrivacyConsent()
    })

    expect(getByText('隐私保护提示')).toBeTruthy()
    expect(getByText('同意并继续')).toBeTruthy()
    expect(answers).toEqual([{ event: 'exposureAuthorization' }])
  })

  it('declining tells WeChat “disagree” and closes the sheet', () => {
    const { rtl, getByText, queryByText } = startApp('weapp')
    let answers: unknown[] = []
    rtl.act(() => {
      answers = taroMock.needPrivacyConsent()
    })

    rtl.fireEvent.click(getByText('不同意'))

    expect(answers).toEqual([{ event: 'exposureAuthorization' }, { event: 'disagree' }])
    expect(queryByText('隐私保护提示')).toBeNull()
  })

  it('agrees through WeChat’s own agree button, answering with that button’s id, and closes the sheet', () => {
    const { rtl, PRIVACY_AGREE_BUTTON_ID, getByText, queryByText } = startApp('weapp')
    let answers: unknown[] = []
    rtl.act(() => {
      answers = taroMock.needPrivacyConsent()
    })
    const agree = getByText('同意并继续')
    // WeChat accepts consent only from a button with this open-type, tapped by a person.
    expect(openTypeOf(agree)).toBe('agreePrivacyAuthorization')

    rtl.act(() => fireOpenTypeEvent(agree, 'agreePrivacyAuthorization'))

    expect(answers).toEqual([{ event: 'exposureAuthorization' }, { event: 'agree', buttonId: PRIVACY_AGREE_BUTTON_ID }])
    expect(agree.closest('[data-open-type]')?.id).toBe(PRIVACY_AGREE_BUTTON_ID)
    expect(queryByText('隐私保护提示')).toBeNull()
  })

  it('opens the privacy guide from the link in the sheet', () => {
    const { rtl, getByText } = startApp('weapp')
    rtl.act(() => {
      taroMock.needPrivacyConsent()
    })

    rtl.fireEvent.click(getByText('查看《全民反诈隐私保护指引》'))

    expect(taroMock.calls('openPrivacyContract')).toHaveLength(1)
  })

  it('is never wired up on the web, where WeChat’s privacy flow does not exist', async () => {
    const { queryByText, ensurePrivacyConsent } = startApp('h5')

    expect(taroMock.needPrivacyConsent()).toEqual([])
    expect(queryByText('隐私保护提示')).toBeNull()
    await expect(ensurePrivacyConsent()).resolves.toBe(true)
  })
})
