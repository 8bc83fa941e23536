import {
  IDENTIFIER_KIND_LABELS,
  normalizeIdentifier,
  ReporterMode,
  TIP_LIMITS,
  TIP_TEXT_LIMITS,
  type IdentifierKind,
} from '@qmfz/contracts'

import { occurredInstant, type DraftIdentifier, type TipDraft } from './draft'

/** What is wrong with each field, in Chinese, beside the field; absent when the field is fine. */
export interface DraftProblems {
  fraudType?: string
  /** One entry per identifier row: null when the row is fine. */
  identifierRows: (string | null)[]
  identifiers?: string
  description?: string
  lossYuan?: string
  occurred?: string
  images?: string
  name?: string
  phone?: string
  consent?: string
}

/**
 * Why a typed identifier is not one, as the server would say (the same normalisation from the contracts); null when
 * it is fine or still empty (an empty row is reported only when the person tries to send).
 */
export function identifierProblem(kind: IdentifierKind, value: string): string | null {
  if (!value.trim()) return null
  const normalized = normalizeIdentifier(kind, value)
  return normalized.ok ? null : `${IDENTIFIER_KIND_LABELS[kind]}：${normalized.reason}`
}

function identifierRowProblems(identifiers: DraftIdentifier[]): (string | null)[] {
  const seen = new Set<string>()
  return identifiers.map(({ kind, value }) => {
    if (!value.trim()) return `请填写${IDENTIFIER_KIND_LABELS[kind]}，或删除这一行`
    const problem = identifierProblem(kind, value)
    if (problem) return problem
    const normalized = normalizeIdentifier(kind, value)
    const key = `${kind}:${normalized.ok ? normalized.value : value}`
    if (seen.has(key)) return '与上面填写的重复'
    seen.add(key)
    return null
  })
}

export function descriptionProblem(text: string): string | undefined {
  const length = text.trim().length
  if (length === 0) return '请简要描述经过'
  if (length < TIP_LIMITS.descriptionMin) return `请至少写 ${TIP_LIMITS.descriptionMin} 个字，说明经过`
  if (length > TIP_LIMITS.descriptionMax) return `不能超过 ${TIP_LIMITS.descriptionMax} 个字`
  return undefined
}

function lossProblem(text: string): string | undefined {
  const value = text.trim()
  if (!value) return undefined
  if (!/^\d+$/.test(value)) return '请填写整数金额（元）'
  return Number(value) > TIP_TEXT_LIMITS.lossYuanMax ? '金额过大，请核对' : undefined
}

function occurredProblem(date: string, time: string, now: Date): string | undefined {
  if (!date) return time ? '请先选择日期' : undefined
  const instant = occurredInstant(date, time)
  if (!instant) return '日期或时间不正确'
  return instant.getTime() > now.getTime() ? '发生时间不能晚于现在' : undefined
}

/**
 * A reporter's own phone: a mainland mobile, with or without +86 and separators (the API's rule for contact
 * numbers, which police call back and payouts go to).
 */
export function reporterPhoneProblem(phone: string): string | undefined {
  if (!phone.trim()) return '请填写手机号码'
  const compact = phone.normalize('NFKC').trim().replace(/[\s\-()]/g, '').replace(/^(\+?86|0086)(?=1\d{10}$)/, '')
  return /^1[3-9]\d{9}$/.test(compact) ? undefined : '请填写 11 位大陆手机号码'
}

export function reporterNameProblem(name: string): string | undefined {
  return name.trim().length > TIP_TEXT_LIMITS.reporterNameMax ? `姓名不能超过 ${TIP_TEXT_LIMITS.reporterNameMax} 个字` : undefined
}

export function validateDraft(draft: TipDraft, now = new Date()): DraftProblems {
  const named = draft.mode === ReporterMode.NAMED
  return {
    fraudType: draft.fraudType ? undefined : '请选择诈骗类型',
    identifierRows: identifierRowProblems(draft.identifiers),
    identifiers: draft.identifiers.length === 0 ? '请至少填写一个可疑号码或账号' : undefined,
    description: descriptionProblem(draft.description),
    lossYuan: lossProblem(draft.lossYuan),
    occurred: occurredProblem(draft.occurredDate, draft.occurredTime, now),
    images: draft.images.length > TIP_LIMITS.imagesMax ? `最多上传 ${TIP_LIMITS.imagesMax} 张图片` : undefined,
    name: named ? reporterNameProblem(draft.name) : undefined,
    phone: named && !draft.phoneCode ? reporterPhoneProblem(draft.phone) : undefined,
    consent: draft.consent ? undefined : '请阅读并同意举报信息的使用与保存说明',
  }
}

export function hasProblems(problems: DraftProblems): boolean {
  const { identifierRows, ...fields } = problems
  return identifierRows.some(Boolean) || Object.values(fields).some(Boolean)
}

/**
 * Problems worth showing now: everything once the person has tried to send; before that only what they have typed
 * wrongly (a bad number, too long), never "please fill in" for a field they have not reached.
 */
export function visibleProblems(draft: TipDraft, attempted: boolean, now = new Date()): DraftProblems {
  const all = validateDraft(draft, now)
  if (attempted) return all
  const typed = draft.description.trim().length > TIP_LIMITS.descriptionMax ? all.description : undefined
  return {
    identifierRows: draft.identifiers.map(({ kind, value }) => identifierProblem(kind, value)),
    description: typed,
    lossYuan: all.lossYuan,
    occurred: draft.occurredDate ? all.occurred : undefined,
    name: all.name,
    phone: draft.phone.trim() ? all.phone : undefined,
  }
}
