import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, index, int, longText, primary, text, time } from './schema.js';

/**
 * Tips (有奖举报): tips, their suspect identifiers, image attachments, history, rewards and the append-only audit
 * log. Personal data is stored only as AES-256-GCM ciphertext (`*_cipher`), keyed hashes (`*_index`, `*_hash`)
 * and masked forms (`*_masked`); see docs/privacy.md.
 *
 * A ciphertext is `v1.<key id ≤ 16>.<iv 16>.<tag 22>.<base64url of the UTF-8 bytes>`: 60 + ⌈4n/3⌉ characters for n
 * bytes, and text limited to m UTF-16 code units is at most 3m bytes. So the widths, for the longest input the
 * contracts allow (src/tips/cipher-columns.spec.ts checks them):
 *   reporter / claim name   40 units  → 120 bytes → 220 (varchar 256)
 *   reporter / claim phone  11 digits →  11 bytes →  75 (varchar 200)
 *   identifier as typed    200 units  → 600 bytes → 860 (varchar 1000)
 *   description, replies, additions: `text`.
 */
export class Tips1765065600000 implements MigrationInterface {
  name = 'Tips1765065600000';

  async up(runner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'tips',
        columns: [
          primary(),
          id('township_id'),
          text('fraud_type', 32),
          text('status', 16),
          longText('description_cipher'),
          int('loss_yuan', true),
          time('occurred_at', true),
          text('reporter_mode', 10),
          text('reporter_name_cipher', 256, true),
          text('reporter_phone_cipher', 200, true),
          text('reporter_phone_index', 64, true),
          text('reporter_phone_masked', 16, true),
          id('unit_id', true),
          id('assignee_id', true),
          text('labels', 200),
          id('group_id'),
          text('receipt_hash', 64),
          text('idempotency_hash', 64),
          text('request_hash', 64, true),
          int('attachment_count'),
          time('created_at'),
          time('updated_at'),
          time('closed_at', true),
          time('identity_purged_at', true),
        ],
        indices: [
          index('uq_tips_receipt_hash', ['receipt_hash'], true),
          index('uq_tips_idempotency_hash', ['idempotency_hash'], true),
          index('idx_tips_township_created', ['township_id', 'created_at']),
          index('idx_tips_township_status_created', ['township_id', 'status', 'created_at']),
          index('idx_tips_township_group', ['township_id', 'group_id']),
          index('idx_tips_closed', ['closed_at']),
        ],
      }),
      new Table({
        name: 'tip_identifiers',
        columns: [primary(), id('township_id'), id('tip_id'), text('kind', 16), text('value_index', 64), text('value_cipher', 1000), text('value_masked', 80), int('position')],
        indices: [index('idx_tip_identifiers_township_value', ['township_id', 'value_index']), index('idx_tip_identifiers_tip', ['tip_id'])],
      }),
      new Table({
        name: 'tip_attachments',
        columns: [
          primary(),
          id('township_id'),
          id('tip_id', true),
          text('uploader_hash', 64, true),
          text('storage_key', 64),
          text('content_type', 20),
          int('size_bytes'),
          int('width', true),
          int('height', true),
          int('position'),
          time('created_at'),
        ],
        indices: [index('idx_tip_attachments_tip', ['tip_id']), index('idx_tip_attachments_created', ['created_at'])],
      }),
      new Table({
        name: 'tip_events',
        columns: [primary(), id('township_id'), id('tip_id'), text('kind', 16), text('status', 16, true), longText('body_cipher', true), id('author_id', true), time('created_at')],
        indices: [index('idx_tip_events_tip_created', ['tip_id', 'created_at'])],
      }),
      new Table({
        name: 'tip_rewards',
        columns: [
          primary(),
          id('township_id'),
          id('tip_id'),
          text('status', 16),
          text('tier', 10),
          int('amount_yuan'),
          text('reason', 200),
          id('decided_by'),
          time('decided_at'),
          time('claimed_at', true),
          text('claim_name_cipher', 256, true),
          text('claim_phone_cipher', 200, true),
          text('claim_phone_index', 64, true),
          text('claim_phone_masked', 16, true),
          id('reviewed_by', true),
          time('reviewed_at', true),
          text('review_note', 200, true),
          time('paid_at', true),
          time('updated_at'),
        ],
        indices: [
          index('uq_tip_rewards_tip', ['tip_id'], true),
          index('idx_tip_rewards_township_decided', ['township_id', 'decided_at']),
          index('idx_tip_rewards_township_status', ['township_id', 'status']),
        ],
      }),
      new Table({
        name: 'audit_log',
        columns: [primary(), id('township_id'), id('actor_id'), text('action', 40), text('subject_type', 20), id('subject_id'), text('detail', 200, true), time('created_at')],
        indices: [index('idx_audit_log_township_created', ['township_id', 'created_at']), index('idx_audit_log_subject', ['subject_id'])],
      }),
    ];
    for (const table of tables) await runner.createTable(table);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'tip_rewards', 'tip_events', 'tip_attachments', 'tip_identifiers', 'tips']) await runner.dropTable(table);
  }
}
