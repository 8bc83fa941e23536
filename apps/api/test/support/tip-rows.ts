import { randomBytes, randomInt } from 'node:crypto';
import {
  normalizeIdentifier,
  RECEIPT_ALPHABET,
  REPORTER_VISIBLE_EVENTS,
  RewardStatus,
  TIP_CLOSED_STATUSES,
  TIP_TEXT_LIMITS,
  TipStatus,
  type FraudType,
  type IdentifierKind,
  type RewardTier,
  type TipEventKind,
} from '@qmfz/contracts';
import { In } from 'typeorm';
import { newId } from '../../src/common/ids.js';
import { maskMobile, normalizeMobile, REPORTER_PHONE_INDEX_NAMESPACE } from '../../src/common/phone.js';
import { CryptoService } from '../../src/crypto/crypto.service.js';
import { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../../src/database/entities/index.js';
import { maskIdentifier } from '../../src/tips/masking.js';
import { receiptHash } from '../../src/tips/receipt-code.js';
import { identifierIndex } from '../../src/tips/identifier-index.js';
import type { TestApp } from '../harness.js';

/*
 * Tips and rewards written straight to the database, sealed by the app's own CryptoService, indexed and masked
 * the way tip submission does (tips.service.ts, identifier-index.ts, masking.ts): for triage and reward tests, where how a tip was submitted is not the point, and for
 * states the API cannot reach on demand (a tip created last year, a reward decided at a Shanghai midnight).
 */

export type RowReporter = { mode: 'anonymous' } | { mode: 'named'; name?: string; phone: string };

export interface TipRowOptions {
  status?: TipStatus;
  fraudType?: FraudType;
  createdAt?: Date;
  description?: string;
  reporter?: RowReporter;
  identifiers?: { kind: IdentifierKind; value: string }[];
  unitId?: string | null;
  /** Defaults to the tip's own id: a group of one. */
  groupId?: string;
  assigneeId?: string | null;
  labels?: string[];
  attachments?: number;
  lossYuan?: number | null;
}

export interface BuiltTip {
  tip: TipEntity;
  receiptCode: string;
  identifiers: TipIdentifierEntity[];
  attachments: TipAttachmentEntity[];
}

function randomReceiptCode(): string {
  return Array.from({ length: TIP_TEXT_LIMITS.receiptLength }, () => RECEIPT_ALPHABET[randomInt(RECEIPT_ALPHABET.length)]).join('');
}

export async function buildTipRow(t: TestApp, townshipId: string, options: TipRowOptions = {}): Promise<BuiltTip> {
  const crypto = t.app.get(CryptoService);
  const createdAt = options.createdAt ?? new Date();
  // As TipsService makes them: the id carries the creation time, so a group's earliest tip is its smallest id.
  const id = newId(createdAt);
  const status = options.status ?? TipStatus.RECEIVED;
  const reporter = options.reporter ?? { mode: 'anonymous' };
  const phone = reporter.mode === 'named' ? normalizeMobile(reporter.phone) : null;
  if (reporter.mode === 'named' && !phone) throw new Error('buildTipRow: a named reporter needs a mainland mobile');
  const receiptCode = randomReceiptCode();
  const tip: TipEntity = {
    id,
    townshipId,
    fraudType: options.fraudType ?? 'order_brushing',
    status,
    descriptionCipher: crypto.encrypt(options.description ?? '对方自称客服，让我刷单返利，先后转账三次。'),
    lossYuan: options.lossYuan === undefined ? 3000 : options.lossYuan,
    occurredAt: new Date(createdAt.getTime() - 24 * 3600_000),
    reporterMode: reporter.mode,
    reporterNameCipher: reporter.mode === 'named' && reporter.name ? crypto.encrypt(reporter.name) : null,
    reporterPhoneCipher: phone ? crypto.encrypt(phone) : null,
    reporterPhoneIndex: phone ? crypto.blindIndex(REPORTER_PHONE_INDEX_NAMESPACE, phone) : null,
    reporterPhoneMasked: phone ? maskMobile(phone) : null,
    unitId: options.unitId ?? null,
    assigneeId: options.assigneeId ?? null,
    labels: JSON.stringify(options.labels ?? []),
    groupId: options.groupId ?? id,
    receiptHash: receiptHash(crypto, receiptCode),
    idempotencyHash: crypto.blindIndex('test-idempotency', randomBytes(16).toString('hex')),
    requestHash: randomBytes(32).toString('hex'),
    attachmentCount: options.attachments ?? 0,
    createdAt,
    updatedAt: createdAt,
    closedAt: TIP_CLOSED_STATUSES.includes(status) ? createdAt : null,
    identityPurgedAt: null,
  };
  await t.dataSource.getRepository(TipEntity).insert(tip);
  const identifiers = (options.identifiers ?? [{ kind: 'phone', value: '13912345678' }]).map((given, position): TipIdentifierEntity => {
    const normalised = normalizeIdentifier(given.kind, given.value);
    if (!normalised.ok) throw new Error(`buildTipRow: ${given.kind} ${normalised.reason}`);
    return {
      id: newId(),
      townshipId,
      tipId: id,
      kind: given.kind,
      valueIndex: identifierIndex(crypto, { kind: given.kind, typed: given.value.normalize('NFKC').trim(), normalised: normalised.value }),
      valueCipher: crypto.encrypt(normalised.value),
      valueMasked: maskIdentifier(given.kind, normalised.value),
      position,
    };
  });
  if (identifiers.length) await t.dataSource.getRepository(TipIdentifierEntity).insert(identifiers);
  const attachments = Array.from({ length: options.attachments ?? 0 }, (_, position): TipAttachmentEntity => ({
    id: newId(),
    townshipId,
    tipId: id,
    uploaderHash: null,
    storageKey: randomBytes(16).toString('hex'),
    contentType: 'image/jpeg',
    sizeBytes: 1234 + position,
    width: 16,
    height: 16,
    position,
    createdAt,
  }));
  if (attachments.length) await t.dataSource.getRepository(TipAttachmentEntity).insert(attachments);
  return { tip, receiptCode, identifiers, attachments };
}

export interface RewardRowOptions {
  status?: RewardStatus;
  tier?: RewardTier;
  amountYuan?: number;
  decidedAt?: Date;
  decidedBy?: string;
  reviewedBy?: string | null;
  /** An anonymous claimant's phone (stored the way a claim stores it). */
  claimPhone?: string;
}

/** A reward row in any state at any time, e.g. decided a millisecond before a Shanghai midnight. */
export async function buildRewardRow(t: TestApp, tip: TipEntity, options: RewardRowOptions = {}): Promise<TipRewardEntity> {
  const crypto = t.app.get(CryptoService);
  const status = options.status ?? RewardStatus.DECIDED;
  const decidedAt = options.decidedAt ?? new Date();
  const claimPhone = options.claimPhone ? normalizeMobile(options.claimPhone) : null;
  const claimed = claimPhone !== null || status === RewardStatus.APPROVED || status === RewardStatus.PAID;
  const reward: TipRewardEntity = {
    id: newId(),
    townshipId: tip.townshipId,
    tipId: tip.id,
    status,
    tier: options.tier ?? 'custom',
    amountYuan: options.amountYuan ?? 100,
    reason: '测试奖励',
    decidedBy: options.decidedBy ?? newId(),
    decidedAt,
    claimedAt: claimed ? decidedAt : null,
    claimNameCipher: claimPhone ? crypto.encrypt('申领人') : null,
    claimPhoneCipher: claimPhone ? crypto.encrypt(claimPhone) : null,
    claimPhoneIndex: claimPhone ? crypto.blindIndex(REPORTER_PHONE_INDEX_NAMESPACE, claimPhone) : null,
    claimPhoneMasked: claimPhone ? maskMobile(claimPhone) : null,
    reviewedBy: status === RewardStatus.DECIDED ? null : (options.reviewedBy ?? newId()),
    reviewedAt: status === RewardStatus.DECIDED ? null : decidedAt,
    reviewNote: null,
    paidAt: status === RewardStatus.PAID ? decidedAt : null,
    updatedAt: decidedAt,
  };
  await t.dataSource.getRepository(TipRewardEntity).insert(reward);
  return reward;
}

/** A tip's history as its reporter sees it through the receipt code: only the visible kinds, bodies decrypted. */
export async function reporterVisibleEvents(t: TestApp, tipId: string): Promise<{ kind: TipEventKind; status: string | null; body: string | null }[]> {
  const crypto = t.app.get(CryptoService);
  const events = await t.dataSource
    .getRepository(TipEventEntity)
    .find({ where: { tipId, kind: In([...REPORTER_VISIBLE_EVENTS]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  return events.map((event) => ({ kind: event.kind, status: event.status, body: event.bodyCipher === null ? null : crypto.decrypt(event.bodyCipher) }));
}

export function tipRow(t: TestApp, id: string): Promise<TipEntity | null> {
  return t.dataSource.getRepository(TipEntity).findOneBy({ id });
}
