/// <reference types="jest" />
// Shared by the 举报 tab's tests (form, submission, images): the tab opened signed in, a draft that passes
// every check, the server's answer to a tip, and the tips the page sent.
import type { CreateTipRequest, CreateTipResponse } from '@qmfz/contracts'

import { isolated } from '../../../test/jest/isolated'
import { taroMock, type Reply, type SentRequest } from '../../../test/jest/taro'

export const DRAFT_KEY = 'qmfz.tipDraft'

export const pathOf = (request: Pick<SentRequest, 'url'>) => request.url.replace(/^https:\/\/api\.test\/api/, '')
export const tipPosts = () => taroMock.requests.filter((request) => request.method === 'POST' && pathOf(request) === '/tips')
export const tipBodies = () => tipPosts().map((request) => request.data as CreateTipRequest)

/** The server's answer to a tip it took; it sends the code formatted, in groups of five. */
export const created = (code = 'ABCDE-FGHJK-MNPQR-STUVW'): Reply => ({
  statusCode: 201,
  data: { receiptCode: code, status: 'received', createdAt: '2026-11-30T02:00:00.000Z' } satisfies CreateTipResponse,
})

/** A draft that passes every check, as storage holds it. */
export function completeDraft(extra: Record<string, unknown> = {}) {
  return {
    idempotencyKey: '0123456789abcdef0123456789abcdef',
    fraudType: 'fake_investment',
    identifiers: [{ kind: 'bank_card', value: '6222021234567890128' }],
    description: '网友拉我进投资群，说稳赚不赔，我转了两万元。',
    lossYuan: '20000',
    occurredDate: '2026-11-01',
    occurredTime: '20:30',
    images: [],
    mode: 'anonymous',
    name: '',
    phone: '',
    phoneCode: '',
    unitId: '',
    consent: true,
    pending: false,
    uncertain: [],
    ...extra,
  }
}

/**
 * The 举报 tab as a fresh app start, signed in. `stubTaro` adds the Taro APIs a test plays itself and the shared
 * mock lacks (the album, WeChat's network events); it runs before the app is imported.
 */
export function renderReport(platform: 'h5' | 'weapp', stubTaro?: (Taro: Record<string, unknown>) => void) {
  process.env.TARO_ENV = platform
  const app = isolated(() => {
    stubTaro?.((require('@tarojs/taro') as { default: Record<string, unknown> }).default)
    return {
      Report: (require('./index') as typeof import('./index')).default,
      ...(require('../../api/session') as typeof import('../../api/session')),
    }
  })
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  return { ...app.rtl.render(<app.Report />), rtl: app.rtl }
}
