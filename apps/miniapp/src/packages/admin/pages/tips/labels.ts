import type { RewardStatus, TipEventKind, TipStatus } from '@qmfz/contracts'

/** Badge colours for tip statuses, shared by the triage list and the tip page. */
export const TIP_STATUS_BADGES: Record<TipStatus, string> = {
  received: 'badge badge--pending',
  verifying: 'badge badge--pending',
  valid: 'badge badge--active',
  invalid: 'badge',
  spam: 'badge badge--rejected',
  duplicate: 'badge',
}

export const REWARD_STATUS_BADGES: Record<RewardStatus, string> = {
  decided: 'badge badge--pending',
  approved: 'badge badge--pending',
  rejected: 'badge badge--rejected',
  paid: 'badge badge--active',
}

export const TIP_EVENT_LABELS: Record<TipEventKind, string> = {
  status: '状态变更',
  reply: '回复举报人',
  addition: '举报人补充',
  assign: '指派',
  labels: '标签',
}

/** `2000 元`, `88.5 元`: amounts in yuan, at most two decimals. */
export function formatYuan(amount: number): string {
  return `${Math.round(amount * 100) / 100} 元`
}

/** Who reported, as police and township admins may see it: never more than the masked phone. */
export function reporterText(mode: 'named' | 'anonymous', masked: string | null): string {
  if (mode === 'anonymous') return '匿名举报'
  return masked ? `实名举报（${masked}）` : '实名举报'
}
