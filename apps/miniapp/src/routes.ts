/** Where each page lives, so a move is one edit and ids are always encoded. */
export const ROUTES = {
  mine: '/pages/mine/index',
  unitAdmin: (unitId: string) => `/packages/admin/pages/unit/index?unitId=${encodeURIComponent(unitId)}`,
  townshipUnits: '/packages/admin/pages/units/index',
  videoCampaigns: '/packages/video/pages/campaigns/index',
  tipFollowUp: '/packages/tips/pages/follow-up/index',
  schoolNotices: '/packages/school/pages/notices/index',
} as const

/**
 * Navigation and clipboard calls reject when the person backs out (or, for the clipboard, declines privacy
 * consent); nothing is left to do then, so the rejection is answered here rather than left unhandled.
 */
export function ignoreCancel(promise: Promise<unknown>): void {
  promise.catch(() => undefined)
}
