import type { FraudType, ReporterMode, TipStatus } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, LongTextColumn, TextColumn, TimeColumn } from '../columns.js';

/**
 * A fraud tip. Free text and the reporter's contact are AES-256-GCM ciphertext (`*Cipher`); the receipt code and
 * the submitter's idempotency key are kept only as keyed hashes. See docs/privacy.md.
 */
@Index('uq_tips_receipt_hash', ['receiptHash'], { unique: true })
@Index('uq_tips_idempotency_hash', ['idempotencyHash'], { unique: true })
@Index('idx_tips_township_created', ['townshipId', 'createdAt'])
@Index('idx_tips_township_status_created', ['townshipId', 'status', 'createdAt'])
@Index('idx_tips_township_group', ['townshipId', 'groupId'])
@Index('idx_tips_closed', ['closedAt'])
@Entity('tips')
export class TipEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @TextColumn('fraud_type', 32) fraudType: FraudType;
  @TextColumn('status', 16) status: TipStatus;
  @LongTextColumn('description_cipher') descriptionCipher: string;
  @IntColumn('loss_yuan', { nullable: true }) lossYuan: number | null;
  @TimeColumn('occurred_at', { nullable: true }) occurredAt: Date | null;
  @TextColumn('reporter_mode', 10) reporterMode: ReporterMode;
  @TextColumn('reporter_name_cipher', 256, { nullable: true }) reporterNameCipher: string | null;
  @TextColumn('reporter_phone_cipher', 200, { nullable: true }) reporterPhoneCipher: string | null;
  /** Keyed hash of the reporter's normalised phone: tallies per reporter without plaintext. */
  @TextColumn('reporter_phone_index', 64, { nullable: true }) reporterPhoneIndex: string | null;
  @TextColumn('reporter_phone_masked', 16, { nullable: true }) reporterPhoneMasked: string | null;
  /** The reporter's village or community, if they gave one. */
  @IdColumn('unit_id', { nullable: true }) unitId: string | null;
  @IdColumn('assignee_id', { nullable: true }) assigneeId: string | null;
  /** JSON array of short labels. */
  @TextColumn('labels', 200) labels: string;
  /** Id of the earliest tip sharing an identifier with this one (its own id when none does). */
  @IdColumn('group_id') groupId: string;
  @TextColumn('receipt_hash', 64) receiptHash: string;
  /** Keyed hash of submitter and idempotency key: a retry finds its tip without either being stored. */
  @TextColumn('idempotency_hash', 64) idempotencyHash: string;
  /**
   * Keyed hash of the submitted body (the reporter's contact included), so a retry with other content under the same
   * key is refused. Cleared with the reporter's identity by retention: a retry after that answers with the tip as it is.
   */
  @TextColumn('request_hash', 64, { nullable: true }) requestHash: string | null;
  @IntColumn('attachment_count') attachmentCount: number;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
  /** When the tip reached a closed status; the identity retention clock. */
  @TimeColumn('closed_at', { nullable: true }) closedAt: Date | null;
  @TimeColumn('identity_purged_at', { nullable: true }) identityPurgedAt: Date | null;
}
