import Taro from '@tarojs/taro'
import {
  FRAUD_TYPES,
  IDENTIFIER_KINDS,
  IdentifierKind,
  ReporterMode,
  TIP_LIMITS,
  type CreateTipRequest,
  type FraudType,
  type TipReporterInput,
} from '@qmfz/contracts'

import { newIdempotencyKey } from './idempotency-key'

const STORAGE_KEY = 'qmfz.tipDraft'

export interface DraftImage {
  /** Local id: React's key, and how an upload's answer finds its image. */
  key: string
  /** A weapp temp path or an h5 blob: URL, as Taro.uploadFile takes it. */
  path: string
  size: number
  /** The browser's file name (WeChat gives none). */
  name?: string
  /** Set once the server has the image; until then `path` is the only copy. */
  attachmentId: string | null
}

export interface DraftIdentifier {
  kind: IdentifierKind
  value: string
}

/** Everything the form holds, as typed, so a closed app or a lost network loses nothing. */
export interface TipDraft {
  /** Made once per draft and kept with it: every send of this draft carries it. */
  idempotencyKey: string
  fraudType: FraudType | ''
  identifiers: DraftIdentifier[]
  description: string
  /** Yuan as typed; '' when not given. */
  lossYuan: string
  /** 'YYYY-MM-DD' and 'HH:mm' in the device's time zone, as the pickers speak them; '' when not given. */
  occurredDate: string
  occurredTime: string
  images: DraftImage[]
  mode: ReporterMode
  name: string
  phone: string
  /** WeChat's getPhoneNumber code: single-use and short-lived, so a refusal clears it. */
  phoneCode: string
  unitId: string
  consent: boolean
  /** 待发送: a send failed for want of network; it is repeated when the network returns or the page is shown. */
  pending: boolean
  /**
   * Bodies sent with this draft's key that got no answer, oldest first. If the server did get one and the person
   * then edited the draft, the edited send is refused as a conflict; the body it got, sent again, returns its receipt.
   */
  uncertain: CreateTipRequest[]
}

export function newDraft(): TipDraft {
  return {
    idempotencyKey: newIdempotencyKey(),
    fraudType: '',
    identifiers: [{ kind: IdentifierKind.PHONE, value: '' }],
    description: '',
    lossYuan: '',
    occurredDate: '',
    occurredTime: '',
    images: [],
    mode: ReporterMode.ANONYMOUS,
    name: '',
    phone: '',
    phoneCode: '',
    unitId: '',
    consent: false,
    pending: false,
    uncertain: [],
  }
}

export function saveDraft(draft: TipDraft): void {
  Taro.setStorageSync(STORAGE_KEY, draft)
}

export function clearDraft(): void {
  Taro.removeStorageSync(STORAGE_KEY)
}

/** The stored draft, field by field (storage may hold an older app's shape, or anything); null when none. */
export function loadDraft(): TipDraft | null {
  const stored: unknown = Taro.getStorageSync(STORAGE_KEY)
  if (!stored || typeof stored !== 'object') return null
  const raw = stored as Record<string, unknown>
  if (typeof raw.idempotencyKey !== 'string' || raw.idempotencyKey.length < 16) return null
  const fresh = newDraft()
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback)
  const identifiers = Array.isArray(raw.identifiers) ? raw.identifiers.map(readIdentifier).filter(isPresent).slice(0, TIP_LIMITS.identifiersMax) : []
  return {
    idempotencyKey: raw.idempotencyKey,
    fraudType: FRAUD_TYPES.includes(raw.fraudType as FraudType) ? (raw.fraudType as FraudType) : '',
    identifiers: identifiers.length ? identifiers : fresh.identifiers,
    description: text(raw.description, ''),
    lossYuan: text(raw.lossYuan, ''),
    occurredDate: text(raw.occurredDate, ''),
    occurredTime: text(raw.occurredTime, ''),
    images: Array.isArray(raw.images) ? raw.images.map(readImage).filter(isPresent).slice(0, TIP_LIMITS.imagesMax) : [],
    mode: raw.mode === ReporterMode.NAMED ? ReporterMode.NAMED : ReporterMode.ANONYMOUS,
    name: text(raw.name, ''),
    phone: text(raw.phone, ''),
    phoneCode: text(raw.phoneCode, ''),
    unitId: text(raw.unitId, ''),
    consent: raw.consent === true,
    pending: raw.pending === true,
    uncertain: Array.isArray(raw.uncertain) ? raw.uncertain.filter(isRequest).slice(-UNCERTAIN_MAX) : [],
  }
}

function readIdentifier(value: unknown): DraftIdentifier | null {
  const raw = value as Partial<DraftIdentifier> | null
  return raw && IDENTIFIER_KINDS.includes(raw.kind as IdentifierKind) && typeof raw.value === 'string' ? { kind: raw.kind!, value: raw.value } : null
}

function readImage(value: unknown): DraftImage | null {
  const raw = value as Partial<DraftImage> | null
  if (!raw || typeof raw.key !== 'string' || typeof raw.path !== 'string') return null
  return {
    key: raw.key,
    path: raw.path,
    size: Number(raw.size) || 0,
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    attachmentId: typeof raw.attachmentId === 'string' ? raw.attachmentId : null,
  }
}

/** Written by this app only; enough of a check that a resend cannot go out with someone else's key. */
function isRequest(value: unknown): value is CreateTipRequest {
  return typeof (value as Partial<CreateTipRequest> | null)?.idempotencyKey === 'string'
}

/** Each edit after a lost answer adds one; a handful is more than any person makes before the network returns. */
export const UNCERTAIN_MAX = 5

/** `uncertain` with `body` added once, oldest first. */
export function withUncertain(uncertain: CreateTipRequest[], body: CreateTipRequest): CreateTipRequest[] {
  const wire = JSON.stringify(body)
  return uncertain.some((earlier) => JSON.stringify(earlier) === wire) ? uncertain : [...uncertain, body].slice(-UNCERTAIN_MAX)
}

const isPresent = <T>(value: T | null): value is T => value !== null

/** True when the person has entered anything worth keeping. */
export function draftTouched(draft: TipDraft): boolean {
  return Boolean(
    draft.fraudType ||
      draft.identifiers.some((identifier) => identifier.value.trim()) ||
      draft.description.trim() ||
      draft.lossYuan ||
      draft.occurredDate ||
      draft.images.length ||
      draft.mode === ReporterMode.NAMED ||
      draft.consent,
  )
}

/** The picked day and time in the device's time zone, field by field (older WebViews read offset-less ISO as UTC). */
export function occurredInstant(date: string, time: string): Date | null {
  const [year, month, day] = date.split('-').map(Number)
  const [hours, minutes] = (time || '00:00').split(':').map(Number)
  if (![year, month, day, hours, minutes].every(Number.isFinite)) return null
  return new Date(year, month - 1, day, hours, minutes)
}

function reporterOf(draft: TipDraft): TipReporterInput {
  if (draft.mode === ReporterMode.ANONYMOUS) return { mode: ReporterMode.ANONYMOUS }
  const name = draft.name.trim()
  // WeChat's verified number wins over a typed one; only one of them is sent.
  const contact = draft.phoneCode ? { phoneCode: draft.phoneCode } : { phone: draft.phone.trim() }
  return { mode: ReporterMode.NAMED, ...(name ? { name } : {}), ...contact }
}

/** The request for a validated draft whose images are all uploaded. Identifiers go as typed: the server normalises. */
export function toRequest(draft: TipDraft): CreateTipRequest {
  const occurred = draft.occurredDate ? occurredInstant(draft.occurredDate, draft.occurredTime) : null
  return {
    idempotencyKey: draft.idempotencyKey,
    fraudType: draft.fraudType as FraudType,
    identifiers: draft.identifiers.map((identifier) => ({ kind: identifier.kind, value: identifier.value.trim() })),
    description: draft.description.trim(),
    lossYuan: draft.lossYuan.trim() ? Number(draft.lossYuan.trim()) : null,
    occurredAt: occurred ? occurred.toISOString() : null,
    attachmentIds: draft.images.map((image) => image.attachmentId).filter((id): id is string => id !== null),
    reporter: reporterOf(draft),
    unitId: draft.mode === ReporterMode.NAMED && draft.unitId ? draft.unitId : null,
    consent: true,
  }
}
