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
