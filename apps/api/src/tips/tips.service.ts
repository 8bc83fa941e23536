import { HttpStatus, Injectable } from '@nestjs/common';
import { ErrorCode, formatReceiptCode, TipEventKind, TipStatus, UnitKind, type CreateTipResponse } from '@qmfz/contracts';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { isUniqueViolation } from '../common/db-errors.js';
import { newId } from '../common/ids.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipEntity, TipIdentifierEntity } from '../database/entities/index.js';
import { UnitsRepository } from '../org/units.repository.js';
import { identifierIndex } from './identifier-index.js';
import { maskIdentifier } from './masking.js';
import { idempotencyHash, receiptCodeFor, receiptHash } from './receipt-code.js';
import { ReporterContacts } from './reporter-contact.js';
import { TipAttachmentsRepository } from './tip-attachments.repository.js';
import { uploaderHash, UNCLAIMED_UPLOAD_MS } from './tip-attachments.service.js';
import { newTipEvent } from './tip-events.js';
import { canonicalSubmission, parseTipSubmission, type TipReporter, type TipSubmission } from './tip-request.js';
import { AttachmentsUnavailable, IdentifiersBusy, LOCK_WAIT_SECONDS, TipsRepository, type StoredSubmission } from './tips.repository.js';

const REQUEST_HASH_NAMESPACE = 'tip-request';
/** Units a resident may name as theirs: where they live, not where they work. */
const HOME_UNIT_KINDS: readonly UnitKind[] = [UnitKind.VILLAGE, UnitKind.COMMUNITY];

type ReporterColumns = Pick<TipEntity, 'reporterMode' | 'reporterNameCipher' | 'reporterPhoneCipher' | 'reporterPhoneIndex' | 'reporterPhoneMasked'>;
type SubmissionKeys = { idempotency: string; requestHash: string; receiptCode: string };

/**
 * Submission of tips by signed-in residents. Nothing written identifies the submitter: no user id is stored, only
 * keyed hashes of the user and their draft's idempotency key, from which the receipt code is derived again on a
 * retry. A named reporter's contact is stored encrypted, with a blind index and a masked form (ReporterContacts).
 */
@Injectable()
export class TipsService {
  constructor(
    private readonly tips: TipsRepository,
    private readonly attachments: TipAttachmentsRepository,
    private readonly units: UnitsRepository,
    private readonly crypto: CryptoService,
    private readonly contacts: ReporterContacts,
  ) {}

  /** `created` is false when this was a retry of a submission already stored: the same receipt comes back. */
  async submit(actor: Actor, body: unknown): Promise<{ receipt: CreateTipResponse; created: boolean }> {
    const now = new Date();
    const submission = parseTipSubmission(body, now);
    const idempotency = idempotencyHash(this.crypto, actor.userId, submission.idempotencyKey);
    const requestHash = this.crypto.blindIndex(REQUEST_HASH_NAMESPACE, canonicalSubmission(submission));
    const receiptCode = receiptCodeFor(this.crypto, actor.userId, submission.idempotencyKey);

    const earlier = await this.tips.findSubmission(idempotency);
    if (earlier) return { receipt: this.replay(earlier, requestHash, receiptCode), created: false };
    try {
      const tip = await this.store(actor, submission, { idempotency, requestHash, receiptCode }, now);
      return { receipt: { receiptCode: formatReceiptCode(receiptCode), status: tip.status, createdAt: now.toISOString() }, created: true };
    } catch (error) {
      // A simultaneous retry of the same submission may have stored it meanwhile: its uploads are then claimed,
      // its WeChat phone code used, its idempotency hash taken. The retry gets the stored tip's receipt instead.
      const refusedOrRaced = error instanceof AppException || isUniqueViolation(error);
      const winner = refusedOrRaced ? await this.tips.findSubmission(idempotency) : null;
      if (!winner) throw error;
      return { receipt: this.replay(winner, requestHash, receiptCode), created: false };
    }
  }

  private async store(actor: Actor, submission: TipSubmission, keys: SubmissionKeys, now: Date): Promise<TipEntity> {
    const uploads = { ids: submission.attachmentIds, uploaderHash: uploaderHash(this.crypto, actor.userId), uploadedAfter: new Date(now.getTime() - UNCLAIMED_UPLOAD_MS) };
    await this.checkUnit(actor, submission.unitId);
    // Checked before WeChat is asked for the phone: its code works once, and a refused tip would waste it.
    const claimable = await this.attachments.countClaimable(actor.townshipId, uploads.ids, uploads.uploaderHash, uploads.uploadedAfter);
    if (claimable !== uploads.ids.length) throw AppException.notFound(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
    const reporter = await this.reporterColumns(submission.reporter);
    const tip = this.newTip(actor, submission, reporter, keys, now);
    try {
      await this.tips.insertSubmission({
        tip,
        identifiers: this.identifierRows(tip, submission),
        attachments: uploads,
        event: newTipEvent(tip, TipEventKind.STATUS, now, { status: TipStatus.RECEIVED }),
      });
    } catch (error) {
      if (error instanceof AttachmentsUnavailable) throw AppException.notFound(ErrorCode.TIP_ATTACHMENT_NOT_FOUND);
      if (error instanceof IdentifiersBusy) throw AppException.busy(ErrorCode.TIP_BUSY, LOCK_WAIT_SECONDS);
      throw error;
    }
    return tip;
  }

  /**
   * The answer to a retry: the stored tip's receipt with its status now, if the retry asks for the same tip. A tip
   * whose request hash retention erased (with the reporter's identity, which it covered) answers any retry so.
   */
  private replay(tip: StoredSubmission, requestHash: string, receiptCode: string): CreateTipResponse {
    if (tip.requestHash !== null && tip.requestHash !== requestHash) throw AppException.conflict(ErrorCode.TIP_IDEMPOTENCY_CONFLICT);
    return { receiptCode: formatReceiptCode(receiptCode), status: tip.status, createdAt: tip.createdAt.toISOString() };
  }

  /** The reporter's own village or community, in their township; anything else answers like a missing unit. */
  private async checkUnit(actor: Actor, unitId: string | null): Promise<void> {
    if (!unitId) return;
    const unit = await this.units.findInTownship(actor.townshipId, unitId);
    if (!unit) throw AppException.notFound(ErrorCode.UNIT_NOT_FOUND);
    if (!HOME_UNIT_KINDS.includes(unit.kind)) throw new AppException(ErrorCode.UNIT_NOT_FOUND, HttpStatus.NOT_FOUND, '请选择本乡镇的村或社区');
  }

  private async reporterColumns(reporter: TipReporter): Promise<ReporterColumns> {
    if (reporter.mode === 'anonymous') {
      return { reporterMode: 'anonymous', reporterNameCipher: null, reporterPhoneCipher: null, reporterPhoneIndex: null, reporterPhoneMasked: null };
    }
    // A typed phone was checked with the request; only a WeChat number can still turn out not to be a mainland one.
    const phone = await this.contacts.sealPhone(reporter, { field: 'reporter.phoneCode', message: '仅支持中国大陆手机号' });
    return {
      reporterMode: 'named',
      reporterNameCipher: this.contacts.sealName(reporter.name),
      reporterPhoneCipher: phone.cipher,
      reporterPhoneIndex: phone.index,
      reporterPhoneMasked: phone.masked,
    };
  }

  /**
   * The tip's id carries `now`, its creation time, although it is made after the awaits above (a WeChat call may
   * take seconds): linking picks a group's earliest tip by id, lists sort by creation time, and both must agree.
   */
  private newTip(actor: Actor, submission: TipSubmission, reporter: ReporterColumns, keys: SubmissionKeys, now: Date): TipEntity {
    const id = newId(now);
    return {
      id,
      townshipId: actor.townshipId,
      fraudType: submission.fraudType,
      status: TipStatus.RECEIVED,
      descriptionCipher: this.crypto.encrypt(submission.description),
      lossYuan: submission.lossYuan,
      occurredAt: submission.occurredAt,
      ...reporter,
      unitId: submission.unitId,
      assigneeId: null,
      labels: '[]',
      groupId: id,
      receiptHash: receiptHash(this.crypto, keys.receiptCode),
      idempotencyHash: keys.idempotency,
      requestHash: keys.requestHash,
      attachmentCount: submission.attachmentIds.length,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      identityPurgedAt: null,
    };
  }

  private identifierRows(tip: TipEntity, submission: TipSubmission): TipIdentifierEntity[] {
    return submission.identifiers.map((identifier, position) => ({
      id: newId(),
      townshipId: tip.townshipId,
      tipId: tip.id,
      kind: identifier.kind,
      valueIndex: identifierIndex(this.crypto, identifier),
      valueCipher: this.crypto.encrypt(identifier.typed),
      valueMasked: maskIdentifier(identifier.kind, identifier.normalised),
      position,
    }));
  }
}
