import { HttpStatus } from '@nestjs/common';
import {
  ErrorCode,
  FRAUD_TYPES,
  IDENTIFIER_KIND_LABELS,
  IDENTIFIER_KINDS,
  normalizeIdentifier,
  TIP_LIMITS,
  TIP_TEXT_LIMITS,
  type FraudType,
  type IdentifierKind,
} from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { normalizeMobile } from '../common/phone.js';
import { isMultilineText, isPlainText } from '../common/text.js';
import { notAnObject, ULID_PATTERN, validationFailed } from '../common/validation.js';

/**
 * The tip a request asks for, checked by hand rather than by DTO decorators: the body is a union (named or
 * anonymous reporter) with nested identifiers, and several problems have codes of their own that the form shows
 * next to the field (TIP_IDENTIFIER_INVALID, TIP_CONSENT_REQUIRED, TIP_PHONE_REQUIRED, TIP_TOO_MANY_ATTACHMENTS).
 * Order of answers: a malformed body (VALIDATION_FAILED with every problem) before consent, too many images, the
 * identifiers' values and a missing phone.
 */

export interface TipIdentifier {
  kind: IdentifierKind;
  /** As typed (NFKC, trimmed): what police read, so a link keeps its path. */
  typed: string;
  /** What tips are matched by. */
  normalised: string;
}

export type TipReporter = { mode: 'anonymous' } | { mode: 'named'; name: string | null; phone: string | null; phoneCode: string | null };

export interface TipSubmission {
  idempotencyKey: string;
  fraudType: FraudType;
  identifiers: TipIdentifier[];
  description: string;
  lossYuan: number | null;
  occurredAt: Date | null;
  attachmentIds: string[];
  reporter: TipReporter;
  unitId: string | null;
}

type Problem = { field: string; message: string };

const FIELDS = ['idempotencyKey', 'fraudType', 'identifiers', 'description', 'lossYuan', 'occurredAt', 'attachmentIds', 'reporter', 'unitId', 'consent'];
const IDEMPOTENCY_KEY = new RegExp(`^[A-Za-z0-9_-]{${TIP_TEXT_LIMITS.idempotencyKeyMin},${TIP_TEXT_LIMITS.idempotencyKeyMax}}$`);
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Phones and servers disagree by a few minutes; "just now" must not be refused as the future. */
const CLOCK_SKEW_MS = 5 * 60_000;
const EARLIEST_OCCURRENCE = Date.UTC(1990, 0, 1);
const PHONE_CODE_MAX = 128;

/**
 * Free text of several lines (a description, an addition; police replies follow the same rule): no control
 * characters but line breaks and tabs, trimmed, within limits counted in UTF-16 code units like the columns' widths.
 */
export function checkText(value: unknown, label: string, min: number, max: number): { text: string } | { problem: string } {
  if (typeof value !== 'string') return { problem: `${label}必须是文本` };
  const text = value.trim();
  if (!text) return { problem: `${label}不能为空` };
  if (text.length < min) return { problem: `${label}至少 ${min} 个字` };
  if (text.length > max) return { problem: `${label}不能超过 ${max} 个字` };
  if (!isMultilineText(text)) return { problem: `${label}不能包含控制字符` };
  return { text };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const absent = (value: unknown) => value === undefined || value === null;

function unknownFields(body: Record<string, unknown>, allowed: string[], prefix: string, problems: Problem[]): void {
  for (const key of Object.keys(body)) if (!allowed.includes(key)) problems.push({ field: prefix + key, message: `${prefix}${key} 不允许的字段` });
}

/** Throws the first applicable refusal; returns the submission with every value normalised. */
export function parseTipSubmission(body: unknown, now: Date): TipSubmission {
  if (!isObject(body)) throw notAnObject();
  const problems: Problem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  unknownFields(body, FIELDS, '', problems);

  const idempotencyKey = body.idempotencyKey;
  if (typeof idempotencyKey !== 'string' || !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    problem('idempotencyKey', `提交编号应为 ${TIP_TEXT_LIMITS.idempotencyKeyMin}–${TIP_TEXT_LIMITS.idempotencyKeyMax} 位字母、数字、下划线或减号`);
  }
  if (typeof body.fraudType !== 'string' || !(FRAUD_TYPES as string[]).includes(body.fraudType)) problem('fraudType', '诈骗类型取值不在允许范围内');

  const description = checkText(body.description, '事情经过', TIP_LIMITS.descriptionMin, TIP_LIMITS.descriptionMax);
  if ('problem' in description) problem('description', description.problem);

  const lossYuan = absent(body.lossYuan) ? null : body.lossYuan;
  if (lossYuan !== null && (typeof lossYuan !== 'number' || !Number.isInteger(lossYuan) || lossYuan < 0 || lossYuan > TIP_TEXT_LIMITS.lossYuanMax)) {
    problem('lossYuan', `损失金额应为 0 到 ${TIP_TEXT_LIMITS.lossYuanMax} 之间的整数（元）`);
  }

  const occurredAt = parseOccurredAt(body.occurredAt, now, problems);
  const unitId = absent(body.unitId) ? null : body.unitId;
  if (unitId !== null && (typeof unitId !== 'string' || !ULID_PATTERN.test(unitId))) problem('unitId', '所在村（社区）格式不正确');

  const attachmentIds = absent(body.attachmentIds) ? [] : body.attachmentIds;
  if (!Array.isArray(attachmentIds)) problem('attachmentIds', '图片必须是列表');
  else if (attachmentIds.some((id) => typeof id !== 'string' || !ULID_PATTERN.test(id))) problem('attachmentIds', '图片编号格式不正确');
  else if (new Set(attachmentIds).size !== attachmentIds.length) problem('attachmentIds', '同一张图片不能提交两次');

  const identifiers = readIdentifiers(body.identifiers, problems);
  const reporter = readReporter(body.reporter, problems);

  if (problems.length) throw validationFailed(problems);
  if (body.consent !== true) throw AppException.badRequest(ErrorCode.TIP_CONSENT_REQUIRED);
  if ((attachmentIds as string[]).length > TIP_LIMITS.imagesMax) throw AppException.badRequest(ErrorCode.TIP_TOO_MANY_ATTACHMENTS);
  const normalised = normaliseIdentifiers(identifiers!);
  if (reporter!.mode === 'named' && !reporter!.phone && !reporter!.phoneCode) {
    throw new AppException(ErrorCode.TIP_PHONE_REQUIRED, HttpStatus.BAD_REQUEST, undefined, [{ field: 'reporter.phone', message: '实名举报请提供手机号码' }]);
  }
  return {
    idempotencyKey: idempotencyKey as string,
    fraudType: body.fraudType as FraudType,
    identifiers: normalised,
    description: (description as { text: string }).text,
    lossYuan: lossYuan as number | null,
    occurredAt,
    attachmentIds: attachmentIds as string[],
    reporter: reporter!,
    unitId: unitId as string | null,
  };
}

function parseOccurredAt(value: unknown, now: Date, problems: Problem[]): Date | null {
  if (absent(value)) return null;
  const match = typeof value === 'string' ? ISO_INSTANT.exec(value) : null;
  const date = match ? new Date(value as string) : null;
  // `2026-02-30T…` parses as 2 March; a day the month does not have is refused instead.
  const realDay = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDate() === Number(match[3]);
  if (!date || Number.isNaN(date.getTime()) || !realDay) {
    problems.push({ field: 'occurredAt', message: '发生时间格式不正确' });
    return null;
  }
  if (date.getTime() > now.getTime() + CLOCK_SKEW_MS) problems.push({ field: 'occurredAt', message: '发生时间不能晚于现在' });
  else if (date.getTime() < EARLIEST_OCCURRENCE) problems.push({ field: 'occurredAt', message: '发生时间过早' });
  return date;
}

function readIdentifiers(value: unknown, problems: Problem[]): { kind: IdentifierKind; value: string }[] | null {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push({ field: 'identifiers', message: '请至少填写一个可疑号码或账号' });
    return null;
  }
  if (value.length > TIP_LIMITS.identifiersMax) {
    problems.push({ field: 'identifiers', message: `可疑号码或账号最多 ${TIP_LIMITS.identifiersMax} 个` });
    return null;
  }
  const before = problems.length;
  value.forEach((item, i) => {
    const field = `identifiers[${i}]`;
    if (!isObject(item)) return problems.push({ field, message: `${field} 必须是对象` });
    unknownFields(item, ['kind', 'value'], `${field}.`, problems);
    if (typeof item.kind !== 'string' || !(IDENTIFIER_KINDS as string[]).includes(item.kind)) problems.push({ field: `${field}.kind`, message: '号码类型取值不在允许范围内' });
    if (typeof item.value !== 'string') problems.push({ field: `${field}.value`, message: '可疑号码或账号必须是文本' });
  });
  return problems.length === before ? (value as { kind: IdentifierKind; value: string }[]) : null;
}

/** Normalised and de-duplicated (two spellings of one number are one identifier), or TIP_IDENTIFIER_INVALID. */
function normaliseIdentifiers(identifiers: { kind: IdentifierKind; value: string }[]): TipIdentifier[] {
  const refused: Problem[] = [];
  const kept = new Map<string, TipIdentifier>();
  identifiers.forEach(({ kind, value }, i) => {
    const result = normalizeIdentifier(kind, value);
    if (!result.ok) return refused.push({ field: `identifiers[${i}].value`, message: `${IDENTIFIER_KIND_LABELS[kind]}：${result.reason}` });
    const key = `${kind}:${result.value}`;
    if (!kept.has(key)) kept.set(key, { kind, typed: value.normalize('NFKC').trim(), normalised: result.value });
  });
  if (refused.length) {
    throw new AppException(ErrorCode.TIP_IDENTIFIER_INVALID, HttpStatus.BAD_REQUEST, `可疑号码或账号格式不正确：${refused.map((p) => p.message).join('；')}`, refused);
  }
  return [...kept.values()];
}

function readReporter(value: unknown, problems: Problem[]): TipReporter | null {
  if (!isObject(value) || (value.mode !== 'named' && value.mode !== 'anonymous')) {
    problems.push({ field: 'reporter.mode', message: '举报方式应为实名（named）或匿名（anonymous）' });
    return null;
  }
  if (value.mode === 'anonymous') {
    // An anonymous tip carries nothing about its reporter: a name or phone sent along is refused, not dropped.
    unknownFields(value, ['mode'], 'reporter.', problems);
    return { mode: 'anonymous' };
  }
  unknownFields(value, ['mode', 'name', 'phone', 'phoneCode'], 'reporter.', problems);
  const before = problems.length;
  let name: string | null = null;
  if (!absent(value.name)) {
    const text = typeof value.name === 'string' ? value.name.trim() : null;
    if (text === null) problems.push({ field: 'reporter.name', message: '姓名必须是文本' });
    else if (!text) problems.push({ field: 'reporter.name', message: '姓名不能为空' });
    else if (text.length > TIP_TEXT_LIMITS.reporterNameMax) problems.push({ field: 'reporter.name', message: `姓名不能超过 ${TIP_TEXT_LIMITS.reporterNameMax} 个字` });
    else if (!isPlainText(text)) problems.push({ field: 'reporter.name', message: '姓名不能包含换行、制表符等控制字符' });
    else name = text;
  }
  let phone: string | null = null;
  if (!absent(value.phone)) {
    phone = typeof value.phone === 'string' && value.phone.length <= 32 ? normalizeMobile(value.phone.normalize('NFKC').trim()) : null;
    if (!phone) problems.push({ field: 'reporter.phone', message: '手机号码格式不正确，请填写 11 位大陆手机号' });
  }
  let phoneCode: string | null = null;
  if (!absent(value.phoneCode)) {
    const ok = typeof value.phoneCode === 'string' && value.phoneCode.length > 0 && value.phoneCode.length <= PHONE_CODE_MAX && isPlainText(value.phoneCode);
    if (!ok) problems.push({ field: 'reporter.phoneCode', message: '手机号授权凭证格式不正确' });
    else phoneCode = value.phoneCode as string;
  }
  if (phone && phoneCode) problems.push({ field: 'reporter.phone', message: '手机号码和微信手机号授权只能选一种' });
  return problems.length === before ? { mode: 'named', name, phone, phoneCode } : null;
}

/** A stable text of everything the submission asks for, for `tips.request_hash`: a retry must match it. */
export function canonicalSubmission(tip: TipSubmission): string {
  return JSON.stringify([
    tip.fraudType,
    tip.identifiers.map((i) => [i.kind, i.normalised]),
    tip.description,
    tip.lossYuan,
    tip.occurredAt?.toISOString() ?? null,
    tip.attachmentIds,
    tip.reporter.mode === 'named' ? [tip.reporter.name, tip.reporter.phone, tip.reporter.phoneCode] : null,
    tip.unitId,
  ]);
}

/** `{ receiptCode }` of the follow-up routes; the code itself is checked against the database, not here. */
export function parseReceiptRequest(body: unknown): { receiptCode: unknown } {
  if (!isObject(body)) throw notAnObject();
  const problems: Problem[] = [];
  unknownFields(body, ['receiptCode'], '', problems);
  if (problems.length) throw validationFailed(problems);
  return { receiptCode: body.receiptCode };
}

/** `{ receiptCode, text }` of an addition. */
export function parseAdditionRequest(body: unknown): { receiptCode: unknown; text: string } {
  if (!isObject(body)) throw notAnObject();
  const problems: Problem[] = [];
  unknownFields(body, ['receiptCode', 'text'], '', problems);
  const text = checkText(body.text, '补充内容', 1, TIP_TEXT_LIMITS.additionMax);
  if ('problem' in text) problems.push({ field: 'text', message: text.problem });
  if (problems.length) throw validationFailed(problems);
  return { receiptCode: body.receiptCode, text: (text as { text: string }).text };
}
