import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, index, primary, text, time } from './schema.js';

export class Initial1764388800000 implements MigrationInterface {
  name = 'Initial1764388800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'townships',
        columns: [primary(), text('code', 32), text('name', 60), time('created_at')],
        indices: [index('uq_townships_code', ['code'], true)],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'units',
        columns: [primary(), id('township_id'), text('name', 60), text('kind', 24), time('created_at'), time('updated_at')],
        indices: [index('uq_units_township_name', ['township_id', 'name'], true), index('idx_units_township_kind', ['township_id', 'kind'])],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'users',
        columns: [
          primary(),
          id('township_id'),
          text('openid', 64, true),
          text('unionid', 64, true),
          text('dev_key', 120, true),
          text('display_name', 40),
          text('phone_cipher', 200, true),
          text('phone_index', 64, true),
          text('phone_masked', 16, true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          index('uq_users_openid', ['openid'], true),
          index('uq_users_dev_key', ['dev_key'], true),
          index('idx_users_township_phone', ['township_id', 'phone_index']),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'memberships',
        columns: [
          primary(),
          id('township_id'),
          id('unit_id'),
          id('user_id'),
          text('role', 24),
          text('status', 16),
          time('created_at'),
          time('decided_at', true),
          id('decided_by', true),
        ],
        indices: [
          index('uq_memberships_unit_user', ['unit_id', 'user_id'], true),
          index('idx_memberships_user_status', ['user_id', 'status']),
          index('idx_memberships_unit_status', ['township_id', 'unit_id', 'status']),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'invite_codes',
        columns: [
          primary(),
          id('township_id'),
          id('unit_id'),
          text('code', 16),
          text('role', 24),
          time('expires_at'),
          time('revoked_at', true),
          id('created_by'),
          time('created_at'),
        ],
        indices: [index('uq_invite_codes_code', ['code'], true), index('idx_invite_codes_unit', ['unit_id'])],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'roster_entries',
        columns: [
          primary(),
          id('township_id'),
          id('unit_id'),
          text('display_name', 40),
          text('phone_cipher', 200),
          text('phone_index', 64),
          text('phone_masked', 16),
          text('role', 24),
          id('claimed_by', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          index('uq_roster_entries_unit_phone', ['unit_id', 'phone_index'], true),
          index('idx_roster_entries_township_phone', ['township_id', 'phone_index']),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'refresh_tokens',
        columns: [
          primary(),
          id('township_id'),
          id('user_id'),
          id('family_id'),
          text('token_hash', 64),
          time('expires_at'),
          time('revoked_at', true),
          time('created_at'),
        ],
        indices: [index('uq_refresh_tokens_hash', ['token_hash'], true), index('idx_refresh_tokens_family', ['family_id'])],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['refresh_tokens', 'roster_entries', 'invite_codes', 'memberships', 'users', 'units', 'townships']) {
      await runner.dropTable(table);
    }
  }
}
