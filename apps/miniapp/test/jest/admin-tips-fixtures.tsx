/// <reference types="jest" />
/**
 * Shared by the admin-tips*.test.tsx suites: tips and rewards as the API returns them, a small router for
 * taroMock.handleRequests, and a way to open one admin page signed in.
 */
import {
  ErrorCode,
  type MeResponse,
  type MembershipResponse,
  type RewardResponse,
  type Role,
  type TipDetailResponse,
  type TipSummaryResponse,
} from '@qmfz/contracts'
import type { ComponentType } from 'react'

import { isolated } from './isolated'

type Rtl = typeof import('@testing-library/react')
import { taroMock, type Reply, type SentRequest } from './taro'

/** 2026-11-20 09:30 on the device's clock. */
export const CREATED = new Date(2026, 10, 20, 9, 30).toISOString()
export const CREATED_TEXT = '2026-11-20 09:30'

export function summary(id: string, overrides: Partial<TipSummaryResponse> = {}): TipSummaryResponse {
  return {
    id,
    fraudType: 'order_brushing',
    status: 'received',
    createdAt: CREATED,
    identifiers: [{ kind: 'phone', masked: '138****5678' }],
    reporterMode: 'anonymous',
    assignee: null,
    labels: [],
    groupId: id,
    groupSize: 1,
    firstInGroup: true,
    attachmentCount: 0,
    reward: null,
    ...overrides,
  }
}

export function detail(overrides: Partial<TipDetailResponse> = {}): TipDetailResponse {
  const { identifiers: _masked, ...base } = summary('t1')
  return {
    ...base,
    status: 'verifying',
    reporterMode: 'named',
    description: '对方自称淘宝客服，让我下载会议软件共享屏幕，转走 3000 元。',
    lossYuan: 3000,
    occurredAt: new Date(2026, 10, 19, 20, 0).toISOString(),
    identifiers: [
      { id: 'i1', kind: 'phone', masked: '138****5678', value: '13812345678' },
      { id: 'i2', kind: 'bank_card', masked: '6222 **** 1234', value: '6222020200112341234' },
    ],
    reporterMasked: '139****0001',
    unit: { id: 'u1', name: '白土村' },
    attachments: [],
    events: [
      { id: 'e1', kind: 'status', status: 'verifying', body: null, author: { userId: 'p1', displayName: '王警官' }, createdAt: CREATED },
      { id: 'e2', kind: 'addition', status: null, body: '补充：对方还加了我的微信。', author: null, createdAt: CREATED },
    ],
    linked: [],
    ...overrides,
  }
}

export function reward(tipId: string, overrides: Partial<RewardResponse> = {}): RewardResponse {
  return {
    tipId,
    status: 'decided',
    tier: 'first',
    amountYuan: 2000,
    reason: '提供的银行卡号协助冻结涉诈资金',
    decidedBy: { userId: 'p1', displayName: '王警官' },
    decidedAt: CREATED,
    claimedAt: CREATED,
    reviewedBy: null,
    reviewedAt: null,
    reviewNote: null,
    paidAt: null,
    tip: { fraudType: 'fake_investment', status: 'valid', createdAt: CREATED, unitName: '白土村', reporterMode: 'named', reporterMasked: '139****0001' },
    ...overrides,
  }
}

export function membership(role: Role, status: MembershipResponse['status'] = 'active'): MembershipResponse {
  const unit = role === 'police' ? { unitId: 'ps1', unitName: '白土派出所', unitKind: 'police_station' } : { unitId: 'to1', unitName: '白土镇政府', unitKind: 'township_office' }
  return { id: `m-${role}`, ...unit, role, status, createdAt: CREATED } as MembershipResponse
}

export function meWith(roles: Role[], id = 'me-1'): MeResponse {
  return {
    id,
    displayName: '李干部',
    phoneMasked: '137****0000',
    township: { id: 't1', code: 'baitu', name: '白土镇' },
    memberships: roles.map((role) => membership(role)),
  }
}

export const refusal = (status: number, code: ErrorCode, message: string): Reply => ({ statusCode: status, data: { code, message, requestId: 'r' } })
export const ok = (data: unknown, statusCode = 200): Reply => ({ statusCode, data })

/** `GET /tips?status=…` → `GET /tips`: the route a request is for, without the API base or the query. */
export function routeOf(request: SentRequest): string {
  const url = new URL(request.url)
  return `${request.method} ${url.pathname.replace(/^\/api/, '')}`
}

export const queryOf = (request: SentRequest) => Object.fromEntries(new URL(request.url).searchParams)

/** Answers by route (`'GET /tips'`); anything unrouted is a 404 the test will see. */
export function serveRoutes(routes: Record<string, (request: SentRequest) => Reply>) {
  taroMock.handleRequests((request) => {
    const route = routes[routeOf(request)]
    return route ? route(request) : refusal(404, ErrorCode.NOT_FOUND, `no route ${routeOf(request)}`)
  })
}

export const sent = (route: string) => taroMock.requests.filter((request) => routeOf(request) === route)

/** Opens a page module (from src/) signed in, fresh, on a platform. */
export function openPage<P extends object>(load: () => { default: ComponentType<P> }, options: { platform?: 'weapp' | 'h5'; params?: Record<string, string> } = {}) {
  process.env.TARO_ENV = options.platform ?? 'h5'
  if (options.params) taroMock.setRouterParams(options.params)
  const app = isolated(() => ({
    Page: load().default,
    ...(require('../../src/api/session') as typeof import('../../src/api/session')),
  }))
  app.session.adopt({ accessToken: 'access-1', refreshToken: 'refresh-1', expiresIn: 3600, refreshExpiresIn: 86400 })
  const view = app.rtl.render(<app.Page {...({} as P)} />)
  const within = (element: Element) => app.rtl.within(element as HTMLElement)
  return { ...app, ...view, within }
}

/** Taro's H5 picker rows are this tall (see pickOption in dom.ts). */
const PICKER_ROW_HEIGHT = 34

/**
 * Opens a Taro H5 date picker of a DateRange row (开始日期/结束日期), scrolls the columns to the items given
 * (`'15日'`, `'10月'`), or none to keep the day it shows, and taps 确定 — as a person does.
 */
export async function pickDay(rtl: Rtl, row: Element, items: string[] = []): Promise<void> {
  rtl.fireEvent.click(row)
  const overlay = row.closest('.date-range')!.querySelector(':scope .taro-picker__overlay')
  if (!overlay) throw new Error(`pickDay: no picker opened from ${row.textContent}`)
  for (const text of items) {
    const item = [...overlay.querySelectorAll('.taro-picker__item:not(.taro-picker__item--blank)')].find((candidate) => candidate.textContent === text)
    if (!item) throw new Error(`pickDay: no "${text}" in the picker`)
    const column = item.closest('.taro-picker__content')!
    const index = [...column.querySelectorAll('.taro-picker__item:not(.taro-picker__item--blank)')].indexOf(item)
    Object.defineProperty(column, 'scrollTop', { configurable: true, get: () => index * PICKER_ROW_HEIGHT, set: () => undefined })
    rtl.fireEvent.scroll(column)
    await rtl.waitFor(() => {
      if (!item.classList.contains('taro-picker__item--selected')) throw new Error(`"${text}" not selected yet`)
    })
    await rtl.act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300))
    })
  }
  rtl.fireEvent.click(rtl.within(overlay as HTMLElement).getByText('确定'))
}
