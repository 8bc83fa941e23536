import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '@qmfz/contracts';
import { AppException } from '../common/app-exception.js';
import { canonicalSubmission, parseAdditionRequest, parseReceiptRequest, parseTipSubmission } from './tip-request.js';

const NOW = new Date('2026-11-20T08:00:00Z');
const ULID = '01JD0000000000000000000000';

const valid = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: 'draft-0123456789abcdef',
  fraudType: 'fake_investment',
  identifiers: [{ kind: 'phone', value: '+86 139-1234-5678' }],
  description: '  对方在群里推荐投资平台，要求转账。  ',
  lossYuan: 5000,
  occurredAt: '2026-11-19T10:00:00+08:00',
  attachmentIds: [ULID],
  reporter: { mode: 'anonymous' },
  unitId: null,
  consent: true,
  ...overrides,
});

/** The refusal a body gets: its code, status and per-field details. */
function refusal(body: unknown): { code: ErrorCode; status: number; fields: string[]; message: string } {
  try {
    parseTipSubmission(body, NOW);
  } catch (error) {
    if (!(error instanceof AppException)) throw error;
    return { code: error.code, status: error.status, fields: (error.details ?? []).map((d) => d.field), message: error.message };
  }
  throw new Error('accepted');
}

describe('parseTipSubmission', () => {
  it('should normalise every value of a valid tip', () => {
    const tip = parseTipSubmission(valid(), NOW);
    expect(tip).toEqual({
      idempotencyKey: 'draft-0123456789abcdef',
      fraudType: 'fake_investment',
      identifiers: [{ kind: 'phone', typed: '+86 139-1234-5678', normalised: '13912345678' }],
      description: '对方在群里推荐投资平台，要求转账。',
      lossYuan: 5000,
      occurredAt: new Date('2026-11-19T02:00:00Z'),
      attachmentIds: [ULID],
      reporter: { mode: 'anonymous' },
      unitId: null,
    });
  });

  it('should keep one of two spellings of the same identifier', () => {
    const tip = parseTipSubmission(valid({ identifiers: [{ kind: 'phone', value: '13912345678' }, { kind: 'phone', value: '139 1234 5678' }, { kind: 'qq', value: '13912345678' }] }), NOW);
    expect(tip.identifiers.map((i) => `${i.kind}:${i.normalised}`)).toEqual(['phone:13912345678', 'qq:13912345678']);
  });

  it('should accept a named reporter with a typed phone, and one with a WeChat phone code', () => {
    expect(parseTipSubmission(valid({ reporter: { mode: 'named', name: ' 张三 ', phone: '+86 138 0013 8000' } }), NOW).reporter).toEqual({
      mode: 'named',
      name: '张三',
      phone: '13800138000',
      phoneCode: null,
    });
    expect(parseTipSubmission(valid({ reporter: { mode: 'named', phoneCode: 'code-from-button' } }), NOW).reporter).toEqual({
      mode: 'named',
      name: null,
      phone: null,
      phoneCode: 'code-from-button',
    });
  });

  it.each([
    ['an array body', [], []],
    ['an unknown field', valid({ userId: 'x' }), ['userId']],
    ['a short idempotency key', valid({ idempotencyKey: 'short' }), ['idempotencyKey']],
    ['an unknown fraud type', valid({ fraudType: 'lottery' }), ['fraudType']],
    ['no identifiers', valid({ identifiers: [] }), ['identifiers']],
    ['eleven identifiers', valid({ identifiers: Array(11).fill({ kind: 'qq', value: '12345' }) }), ['identifiers']],
    ['an identifier of an unknown kind', valid({ identifiers: [{ kind: 'email', value: 'a@b.cn' }] }), ['identifiers[0].kind']],
    ['an identifier with an extra field', valid({ identifiers: [{ kind: 'qq', value: '12345', note: 'x' }] }), ['identifiers[0].note']],
    ['a number as identifier value', valid({ identifiers: [{ kind: 'qq', value: 12345 }] }), ['identifiers[0].value']],
    ['a description under 10 characters', valid({ description: '被骗了' }), ['description']],
    ['a description over 2000 characters', valid({ description: '骗'.repeat(2001) }), ['description']],
    ['a NUL in the description', valid({ description: '对方让我转账\u0000然后失联了' }), ['description']],
    ['a negative loss', valid({ lossYuan: -1 }), ['lossYuan']],
    ['a fractional loss', valid({ lossYuan: 1.5 }), ['lossYuan']],
    ['a loss over the limit', valid({ lossYuan: 1_000_000_001 }), ['lossYuan']],
    ['a loss as text', valid({ lossYuan: '100' }), ['lossYuan']],
    ['a date in the future', valid({ occurredAt: '2026-11-20T09:00:00Z' }), ['occurredAt']],
    ['a day February does not have', valid({ occurredAt: '2026-02-30T10:00:00Z' }), ['occurredAt']],
    ['a date without a time zone', valid({ occurredAt: '2026-11-19T10:00:00' }), ['occurredAt']],
    ['a unit id that is not an id', valid({ unitId: "1' OR '1'='1" }), ['unitId']],
    ['an attachment id twice', valid({ attachmentIds: [ULID, ULID] }), ['attachmentIds']],
    ['attachments that are not a list', valid({ attachmentIds: ULID }), ['attachmentIds']],
    ['no reporter', valid({ reporter: undefined }), ['reporter.mode']],
    ['an anonymous reporter with a phone', valid({ reporter: { mode: 'anonymous', phone: '13800138000' } }), ['reporter.phone']],
    ['a named reporter with a landline', valid({ reporter: { mode: 'named', phone: '023-79332042' } }), ['reporter.phone']],
    ['a named reporter with a phone and a code', valid({ reporter: { mode: 'named', phone: '13800138000', phoneCode: 'c' } }), ['reporter.phone']],
    ['a name over 40 characters', valid({ reporter: { mode: 'named', name: '名'.repeat(41), phone: '13800138000' } }), ['reporter.name']],
  ])('should refuse %s with VALIDATION_FAILED naming the field', (_what, body, fields) => {
    const result = refusal(body);
    expect(result).toMatchObject({ code: ErrorCode.VALIDATION_FAILED, status: 400 });
    expect(result.fields).toEqual(fields.length ? fields : ['']);
    expect(result.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('should list every problem of a body at once', () => {
    expect(refusal(valid({ fraudType: 1, description: '', lossYuan: -5 })).fields).toEqual(['fraudType', 'description', 'lossYuan']);
  });

  it.each([
    ['no consent', valid({ consent: undefined })],
    ['consent false', valid({ consent: false })],
    ['consent as text', valid({ consent: 'true' })],
  ])('should refuse %s with TIP_CONSENT_REQUIRED', (_what, body) => {
    expect(refusal(body)).toMatchObject({ code: ErrorCode.TIP_CONSENT_REQUIRED, status: 400 });
  });

  it('should refuse a seventh image with TIP_TOO_MANY_ATTACHMENTS', () => {
    const ids = Array.from({ length: 7 }, (_, i) => `01JD00000000000000000000${String(i).padStart(2, '0')}`);
    expect(refusal(valid({ attachmentIds: ids }))).toMatchObject({ code: ErrorCode.TIP_TOO_MANY_ATTACHMENTS, status: 400 });
    expect(() => parseTipSubmission(valid({ attachmentIds: ids.slice(0, 6) }), NOW)).not.toThrow();
  });

  it('should refuse identifiers that do not normalise with TIP_IDENTIFIER_INVALID and a reason per field', () => {
    const result = refusal(valid({ identifiers: [{ kind: 'phone', value: '13912345678' }, { kind: 'bank_card', value: '6222021234567890' }, { kind: 'url', value: 'javascript:alert(1)' }] }));
    expect(result).toMatchObject({ code: ErrorCode.TIP_IDENTIFIER_INVALID, status: 400, fields: ['identifiers[1].value', 'identifiers[2].value'] });
    expect(result.message).toContain('银行卡号：卡号校验位不正确');
  });

  it('should refuse a named tip without any phone with TIP_PHONE_REQUIRED', () => {
    expect(refusal(valid({ reporter: { mode: 'named', name: '张三' } }))).toMatchObject({ code: ErrorCode.TIP_PHONE_REQUIRED, fields: ['reporter.phone'] });
  });

  it('should report a malformed body before consent, and consent before identifier values', () => {
    expect(refusal(valid({ consent: false, lossYuan: -1 })).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(refusal(valid({ consent: false, identifiers: [{ kind: 'qq', value: 'x' }] })).code).toBe(ErrorCode.TIP_CONSENT_REQUIRED);
  });
});

describe('canonicalSubmission', () => {
  it('should be equal for two spellings of one tip and differ when anything asked for differs', () => {
    const a = canonicalSubmission(parseTipSubmission(valid(), NOW));
    expect(canonicalSubmission(parseTipSubmission(valid({ identifiers: [{ kind: 'phone', value: '13912345678' }] }), NOW))).toBe(a);
    expect(canonicalSubmission(parseTipSubmission(valid({ lossYuan: 5001 }), NOW))).not.toBe(a);
    expect(canonicalSubmission(parseTipSubmission(valid({ idempotencyKey: 'another-key-0123456789' }), NOW))).toBe(a);
  });
});

describe('follow-up bodies', () => {
  it('should refuse unknown fields and blank or over-long additions', () => {
    expect(() => parseReceiptRequest({ receiptCode: 'x', tipId: 'y' })).toThrow(AppException);
    expect(parseReceiptRequest({ receiptCode: 42 })).toEqual({ receiptCode: 42 });
    expect(() => parseAdditionRequest({ receiptCode: 'x', text: '   ' })).toThrow('补充内容不能为空');
    expect(() => parseAdditionRequest({ receiptCode: 'x', text: '补'.repeat(1001) })).toThrow('补充内容不能超过 1000 个字');
    expect(parseAdditionRequest({ receiptCode: 'x', text: ' 第二行\n还有 ' })).toEqual({ receiptCode: 'x', text: '第二行\n还有' });
  });
});
