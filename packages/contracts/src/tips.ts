/**
 * Reward-eligible fraud tips (有奖举报), first part: fraud types and the suspect identifiers a tip names, with the
 * one normalisation both sides use. The server matches tips by a keyed hash of the normalised value, so two
 * spellings of one number (`+86 138-1234-5678`, `13812345678`) must normalise to the same text.
 */

export const FraudType = {
  ORDER_BRUSHING: 'order_brushing',
  FAKE_INVESTMENT: 'fake_investment',
  IMPERSONATING_AUTHORITIES: 'impersonating_authorities',
  IMPERSONATING_SERVICE: 'impersonating_service',
  FAKE_LOAN: 'fake_loan',
  ROMANCE: 'romance',
  GAME_TRADING: 'game_trading',
  IMPERSONATING_ACQUAINTANCE: 'impersonating_acquaintance',
  CARD_TRADING: 'card_trading',
  OTHER: 'other',
} as const;
export type FraudType = (typeof FraudType)[keyof typeof FraudType];
export const FRAUD_TYPES = Object.values(FraudType);

export const FRAUD_TYPE_LABELS: Record<FraudType, string> = {
  order_brushing: '刷单返利',
  fake_investment: '虚假投资理财',
  impersonating_authorities: '冒充公检法',
  impersonating_service: '冒充客服',
  fake_loan: '虚假贷款',
  romance: '杀猪盘/网络交友',
  game_trading: '游戏交易',
  impersonating_acquaintance: '冒充熟人/领导',
  card_trading: '买卖两卡',
  other: '其他',
};

export const IdentifierKind = {
  PHONE: 'phone',
  BANK_CARD: 'bank_card',
  PAYMENT_ACCOUNT: 'payment_account',
  URL: 'url',
  WECHAT: 'wechat',
  QQ: 'qq',
} as const;
export type IdentifierKind = (typeof IdentifierKind)[keyof typeof IdentifierKind];
export const IDENTIFIER_KINDS = Object.values(IdentifierKind);

export const IDENTIFIER_KIND_LABELS: Record<IdentifierKind, string> = {
  phone: '电话号码',
  bank_card: '银行卡号',
  payment_account: '支付账号',
  url: '网址',
  wechat: '微信号',
  qq: 'QQ号',
};

export const TIP_LIMITS = {
  identifierRawMax: 200,
  identifiersMax: 10,
  descriptionMin: 10,
  descriptionMax: 2000,
  imagesMax: 6,
  imageMaxBytes: 5 * 1024 * 1024,
} as const;

export type NormalizedIdentifier = { ok: true; value: string } | { ok: false; reason: string };

const ok = (value: string): NormalizedIdentifier => ({ ok: true, value });
const refuse = (reason: string): NormalizedIdentifier => ({ ok: false, reason });

/** The one spelling of an identifier that tips are matched by, or why it is not one. Never throws. */
export function normalizeIdentifier(kind: IdentifierKind, raw: string): NormalizedIdentifier {
  if (typeof raw !== 'string') return refuse('格式不正确');
  const text = raw.normalize('NFKC').trim();
  if (!text) return refuse('不能为空');
  if (text.length > TIP_LIMITS.identifierRawMax) return refuse('过长');
  switch (kind) {
    case IdentifierKind.PHONE:
      return normalizePhone(text);
    case IdentifierKind.BANK_CARD:
      return normalizeBankCard(text);
    case IdentifierKind.PAYMENT_ACCOUNT:
      return normalizePaymentAccount(text);
    case IdentifierKind.URL:
      return normalizeUrlHost(text);
    case IdentifierKind.WECHAT:
      return /^[a-zA-Z][a-zA-Z0-9_-]{5,19}$/.test(text) ? ok(text.toLowerCase()) : refuse('应为 6–20 位字母、数字、下划线或减号，以字母开头');
    case IdentifierKind.QQ:
      return /^[1-9]\d{4,10}$/.test(text) ? ok(text) : refuse('应为 5–11 位数字');
    default:
      return refuse('类型不正确');
  }
}

/**
 * Phone numbers as fraud reaches people: mainland mobiles (11 digits, with or without +86/0086), landlines with
 * their area code (023-79332042 → 02379332042), 400/800 numbers, and foreign numbers in E.164 (+63…).
 */
function normalizePhone(text: string): NormalizedIdentifier {
  const international = /^(\+|00)/.test(text);
  const digits = text.replace(/[\s\-().]/g, '').replace(/^(\+|00)/, '');
  if (!/^\d+$/.test(digits)) return refuse('只能包含数字、空格、括号、减号和开头的 +');
  if (international && !digits.startsWith('86')) {
    return digits.length >= 8 && digits.length <= 15 && !digits.startsWith('0') ? ok(`+${digits}`) : refuse('国际号码位数不正确');
  }
  let national = international || (digits.startsWith('86') && digits.length === 13) ? digits.slice(2) : digits;
  // Dialled from abroad, a landline drops its leading 0 (+86 23 7933 2042 is 023-79332042).
  if (international && /^[2-9]\d{8,10}$/.test(national) && !/^[48]00\d{7}$/.test(national)) national = `0${national}`;
  if (/^1[3-9]\d{9}$/.test(national)) return ok(national);
  if (/^0[1-9]\d{8,10}$/.test(national)) return ok(national);
  if (/^[48]00\d{7}$/.test(national)) return ok(national);
  return refuse('不是有效的手机、固话或 400/800 号码');
}

/** 12–19 digits passing the Luhn check that bank cards (UnionPay included) carry. */
function normalizeBankCard(text: string): NormalizedIdentifier {
  const digits = text.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return refuse('应为 12–19 位数字');
  return luhnValid(digits) ? ok(digits) : refuse('卡号校验位不正确，请核对');
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** An Alipay-style account: a phone number or an e-mail address; anything else as typed, case-folded. */
function normalizePaymentAccount(text: string): NormalizedIdentifier {
  const phone = normalizePhone(text);
  if (phone.ok) return phone;
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) return ok(text.toLowerCase());
  return /^[\w.-]{3,64}$/.test(text) ? ok(text.toLowerCase()) : refuse('应为手机号、邮箱或 3–64 位字母数字账号');
}

/**
 * A link is matched by its host (lower-case, without `www.`, port or user): fraud sites change paths, not domains.
 * Parsed by hand: a mini-program's JavaScript has no `URL`. Hosts in Chinese stay as typed (NFKC), on both sides.
 */
function normalizeUrlHost(text: string): NormalizedIdentifier {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return refuse('只接受 http 或 https 网址');
  if (scheme === undefined && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(text)) return refuse('只接受 http 或 https 网址');
  const rest = scheme === undefined ? text : text.slice(scheme.length + 3);
  const authority = rest.split(/[/?#\\]/, 1)[0];
  const host = authority
    .slice(authority.lastIndexOf('@') + 1)
    .replace(/:\d*$/, '')
    .toLowerCase()
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
  if (!ipv4 && !/^([\p{L}\p{N}-]+\.)+[\p{L}\p{N}-]{2,}$/u.test(host)) return refuse('网址缺少有效的域名');
  return ok(host);
}

// ——— Tips: submission, follow-up by receipt code, police triage, rewards (docs/api-tips.md) ———

export const TIP_TEXT_LIMITS = {
  reporterNameMax: 40,
  lossYuanMax: 1_000_000_000,
  replyMax: 500,
  additionMax: 1000,
  /** Additions one tip takes through its receipt code: whoever holds a code cannot flood the police with it. */
  additionsPerTipMax: 30,
  labelsMax: 5,
  labelMax: 12,
  reasonMax: 200,
  idempotencyKeyMin: 16,
  idempotencyKeyMax: 64,
  /** Receipt codes: 20 characters of RECEIPT_ALPHABET (about 99 bits), shown in groups of five. */
  receiptLength: 20,
  rewardYuanMax: 100_000,
} as const;

/** Receipt codes avoid characters people confuse when copying by hand (0/O, 1/I/L). */
export const RECEIPT_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/** `abcde-fghjk …` as typed or pasted → `ABCDEFGHJK…`; null when it cannot be a receipt code. */
export function normalizeReceiptCode(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 60) return null;
  const code = raw.normalize('NFKC').toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== TIP_TEXT_LIMITS.receiptLength) return null;
  for (const char of code) if (!RECEIPT_ALPHABET.includes(char)) return null;
  return code;
}

/** `ABCDEFGHJK…` → `ABCDE-FGHJK-…`, the way receipts are shown. */
export function formatReceiptCode(code: string): string {
  return code.replace(/(.{5})(?=.)/g, '$1-');
}

export const TipStatus = {
  RECEIVED: 'received',
  VERIFYING: 'verifying',
  VALID: 'valid',
  INVALID: 'invalid',
  SPAM: 'spam',
  DUPLICATE: 'duplicate',
} as const;
export type TipStatus = (typeof TipStatus)[keyof typeof TipStatus];
export const TIP_STATUSES = Object.values(TipStatus);

export const TIP_STATUS_LABELS: Record<TipStatus, string> = {
  received: '已受理',
  verifying: '核查中',
  valid: '举报属实',
  invalid: '经核查不属实',
  spam: '无效/恶意举报',
  duplicate: '重复举报',
};

/** A tip in one of these is closed: the retention clock for the reporter's identity starts. */
export const TIP_CLOSED_STATUSES: readonly TipStatus[] = ['valid', 'invalid', 'spam', 'duplicate'];

/** Where police may move a tip from each status. A tip with a reward decision keeps its status. */
export const TIP_STATUS_TRANSITIONS: Record<TipStatus, readonly TipStatus[]> = {
  received: ['verifying', 'valid', 'invalid', 'spam', 'duplicate'],
  verifying: ['valid', 'invalid', 'spam', 'duplicate'],
  valid: ['verifying'],
  invalid: ['verifying'],
  spam: ['verifying'],
  duplicate: ['verifying'],
};

export const ReporterMode = { NAMED: 'named', ANONYMOUS: 'anonymous' } as const;
export type ReporterMode = (typeof ReporterMode)[keyof typeof ReporterMode];

/** Image types a tip may carry, recognised by their bytes. */
export const TIP_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type TipImageType = (typeof TIP_IMAGE_TYPES)[number];

/**
 * `POST /tips/attachments`: one image in the multipart field `field`. An upload no tip claims within
 * `unclaimedHours` is deleted, so a draft kept longer uploads its images again.
 */
export const TIP_UPLOAD = { field: 'file', unclaimedHours: 24 } as const;

export interface TipIdentifierInput {
  kind: IdentifierKind;
  value: string;
}

/** Named: a phone through WeChat's getPhoneNumber code, or typed. Anonymous: nothing about the reporter. */
export type TipReporterInput =
  | { mode: 'anonymous' }
  | { mode: 'named'; name?: string; phone?: string; phoneCode?: string };

export interface CreateTipRequest {
  /** Made by the client once per draft; a retry with the same key returns the same tip and receipt code. */
  idempotencyKey: string;
  fraudType: FraudType;
  identifiers: TipIdentifierInput[];
  description: string;
  lossYuan?: number | null;
  /** ISO 8601 instant, not in the future. */
  occurredAt?: string | null;
  /** Ids from `POST /tips/attachments`, in display order. */
  attachmentIds?: string[];
  reporter: TipReporterInput;
  /** The reporter's village or community, for the tallies; optional. */
  unitId?: string | null;
  /** The reporter read the notice of purpose and retention. */
  consent: true;
}

export interface CreateTipResponse {
  /** Shown once: the server keeps only its hash. */
  receiptCode: string;
  status: TipStatus;
  createdAt: string;
}

export interface TipAttachmentResponse {
  id: string;
  contentType: TipImageType;
  sizeBytes: number;
  width: number | null;
  height: number | null;
}

export interface MaskedIdentifier {
  kind: IdentifierKind;
  masked: string;
}

export const TipEventKind = {
  STATUS: 'status',
  REPLY: 'reply',
  ADDITION: 'addition',
  ASSIGN: 'assign',
  LABELS: 'labels',
} as const;
export type TipEventKind = (typeof TipEventKind)[keyof typeof TipEventKind];
/** What the reporter sees of a tip's history; assignment and labels stay inside the police station. */
export const REPORTER_VISIBLE_EVENTS: readonly TipEventKind[] = ['status', 'reply', 'addition'];

export interface TipEventResponse {
  id: string;
  kind: TipEventKind;
  status: TipStatus | null;
  body: string | null;
  /** Police only: who wrote it. */
  author: { userId: string; displayName: string } | null;
  createdAt: string;
}

export const RewardTier = { FIRST: 'first', SECOND: 'second', THIRD: 'third', CUSTOM: 'custom' } as const;
export type RewardTier = (typeof RewardTier)[keyof typeof RewardTier];
export const REWARD_TIERS = Object.values(RewardTier);
/** Default amounts per tier in yuan; `custom` takes the amount the officer gives. */
export const REWARD_TIER_AMOUNTS: Record<Exclude<RewardTier, 'custom'>, number> = { first: 2000, second: 1000, third: 500 };
export const REWARD_TIER_LABELS: Record<RewardTier, string> = { first: '一等奖励', second: '二等奖励', third: '三等奖励', custom: '其他金额' };

export const RewardStatus = {
  /** Police decided; waiting for the reporter's claim and a township admin's approval. */
  DECIDED: 'decided',
  APPROVED: 'approved',
  REJECTED: 'rejected',
  PAID: 'paid',
} as const;
export type RewardStatus = (typeof RewardStatus)[keyof typeof RewardStatus];
export const REWARD_STATUSES = Object.values(RewardStatus);
export const REWARD_STATUS_LABELS: Record<RewardStatus, string> = {
  decided: '待审批',
  approved: '已批准，待发放',
  rejected: '未批准',
  paid: '已发放',
};

export interface ReceiptRequest {
  receiptCode: string;
}

export interface TipFollowUpResponse {
  fraudType: FraudType;
  status: TipStatus;
  createdAt: string;
  updatedAt: string;
  identifiers: MaskedIdentifier[];
  attachmentCount: number;
  /** Status changes, police replies and the reporter's additions, oldest first. */
  events: TipEventResponse[];
  reward: {
    status: RewardStatus;
    tier: RewardTier;
    amountYuan: number;
    claimed: boolean;
    /** Anonymous tips need a name and phone at claim; named ones already gave them. */
    claimNeedsContact: boolean;
  } | null;
}

export interface AddTipInfoRequest extends ReceiptRequest {
  text: string;
}

export interface ClaimRewardRequest extends ReceiptRequest {
  name?: string;
  phone?: string;
  phoneCode?: string;
}

/** Values of TipListQuery.assignee besides an officer's userId. */
export const TipAssigneeFilter = { MINE: 'me', UNASSIGNED: 'none' } as const;
export type TipAssigneeFilter = (typeof TipAssigneeFilter)[keyof typeof TipAssigneeFilter];

export interface TipListQuery {
  status?: TipStatus;
  fraudType?: FraudType;
  /** Shanghai dates, inclusive: `2026-11-01`. */
  from?: string;
  to?: string;
  groupId?: string;
  /** TipAssigneeFilter.MINE (`me`), TipAssigneeFilter.UNASSIGNED (`none`), or an officer's userId; omit for all. */
  assignee?: string;
  cursor?: string;
  limit?: number;
}

export interface PersonRef {
  userId: string;
  displayName: string;
}

export interface TipRewardSummary {
  status: RewardStatus;
  tier: RewardTier;
  amountYuan: number;
  claimed: boolean;
}

export interface TipSummaryResponse {
  id: string;
  fraudType: FraudType;
  status: TipStatus;
  createdAt: string;
  identifiers: MaskedIdentifier[];
  reporterMode: ReporterMode;
  assignee: PersonRef | null;
  labels: string[];
  /** Tips sharing a normalised identifier share a group; the group's id is its earliest tip. */
  groupId: string;
  groupSize: number;
  /** The earliest tip of its group keeps priority. */
  firstInGroup: boolean;
  attachmentCount: number;
  reward: TipRewardSummary | null;
}

export interface TipListResponse {
  items: TipSummaryResponse[];
  nextCursor: string | null;
}

export interface TipDetailResponse extends Omit<TipSummaryResponse, 'identifiers'> {
  description: string;
  lossYuan: number | null;
  occurredAt: string | null;
  /** Police need the suspect's full number to investigate; the masked form is for screens that show lists. */
  identifiers: (MaskedIdentifier & { id: string; value: string })[];
  /** Masked phone of a named reporter, never the full one (that is revealed only to the payout approver). */
  reporterMasked: string | null;
  unit: { id: string; name: string } | null;
  attachments: TipAttachmentResponse[];
  events: TipEventResponse[];
  linked: { id: string; status: TipStatus; createdAt: string; firstInGroup: boolean }[];
}

export interface UpdateTipRequest {
  status?: TipStatus;
  assigneeUserId?: string | null;
  labels?: string[];
}

export interface TipReplyRequest {
  body: string;
}

export interface SignedLinkResponse {
  url: string;
  expiresAt: string;
}

export interface DecideRewardRequest {
  tier: RewardTier;
  /** Required for `custom`; otherwise the tier's amount is used. */
  amountYuan?: number;
  reason: string;
}

export interface RewardReviewRequest {
  /** Required to reject. */
  note?: string;
}

export interface RewardResponse {
  tipId: string;
  status: RewardStatus;
  tier: RewardTier;
  amountYuan: number;
  reason: string;
  decidedBy: PersonRef;
  decidedAt: string;
  claimedAt: string | null;
  reviewedBy: PersonRef | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  paidAt: string | null;
  tip: { fraudType: FraudType; status: TipStatus; createdAt: string; unitName: string | null; reporterMode: ReporterMode; reporterMasked: string | null };
}

export interface RevealedIdentityResponse {
  name: string | null;
  phone: string | null;
  /** Where the contact came from: the named tip itself or the reward claim. */
  source: 'tip' | 'claim';
}

export type TallyPeriod = 'week' | 'month';

export interface TallyRow {
  key: string;
  label: string;
  /** Reward-eligible tips (decided, approved or paid; not rejected). */
  count: number;
  amountYuan: number;
  paidYuan: number;
}

export interface RewardTallyResponse {
  period: TallyPeriod;
  from: string;
  to: string;
  periods: TallyRow[];
  units: TallyRow[];
  reporters: TallyRow[];
  total: TallyRow;
}

/** Reply to `POST /tips/follow-up/claim`: the reward as the reporter now sees it (a repeat claim answers the same). */
export type ClaimRewardResponse = NonNullable<TipFollowUpResponse['reward']>;

/** One line of a reward's audit trail (`GET /rewards/:tipId/audit`): who did what, never the values revealed. */
export interface RewardAuditEntry {
  id: string;
  actorId: string;
  actorName: string;
  /** `reward.decided`, `reward.approved`, `reward.rejected`, `reward.paid`, `identity.revealed`. */
  action: string;
  /** E.g. `tier=first amountYuan=2000`, `source=claim fields=name,phone`. */
  detail: string | null;
  createdAt: string;
}
