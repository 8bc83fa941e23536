import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { id, index, int, primary, text, time } from './schema.js';

/** Videos, campaigns, viewing checkpoints, rejections, check-ins, in-app notices and subscribe consents. */
export class VideoCampaigns1764907200000 implements MigrationInterface {
  name = 'VideoCampaigns1764907200000';

  async up(runner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'videos',
        columns: [
          primary(),
          id('township_id'),
          text('title', 60),
          text('source', 8),
          text('url', 500, true),
          text('storage_key', 64, true),
          text('content_type', 40, true),
          int('size_bytes', true),
          int('duration_ms'),
          id('created_by'),
          time('created_at'),
        ],
        indices: [index('idx_videos_township_created', ['township_id', 'created_at'])],
      }),
      new Table({
        name: 'campaigns',
        columns: [primary(), id('township_id'), id('video_id'), text('title', 60), time('deadline'), text('roles', 100), int('heads_first'), id('created_by'), time('created_at')],
        indices: [index('idx_campaigns_township_deadline', ['township_id', 'deadline'])],
      }),
      new Table({
        name: 'campaign_units',
        columns: [primary(), id('township_id'), id('campaign_id'), id('unit_id')],
        indices: [index('uq_campaign_units_campaign_unit', ['campaign_id', 'unit_id'], true), index('idx_campaign_units_township_unit', ['township_id', 'unit_id'])],
      }),
      new Table({
        name: 'viewing_progress',
        columns: [
          primary(),
          id('township_id'),
          id('campaign_id'),
          id('user_id'),
          id('session_id'),
          text('intervals', 1000),
          int('covered_ms'),
          int('position_ms'),
          time('completed_at', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [index('uq_viewing_progress_campaign_user', ['campaign_id', 'user_id'], true)],
      }),
      new Table({
        name: 'viewing_rejections',
        columns: [primary(), id('township_id'), id('campaign_id'), id('user_id'), text('reason', 16), int('count'), time('last_at')],
        indices: [index('uq_viewing_rejections_campaign_user_reason', ['campaign_id', 'user_id', 'reason'], true)],
      }),
      new Table({
        name: 'checkins',
        columns: [
          primary(),
          id('township_id'),
          id('campaign_id'),
          id('user_id'),
          int('covered_ms'),
          text('device_model', 60, true),
          text('system', 60, true),
          text('platform', 60, true),
          text('user_agent', 200, true),
          time('checked_in_at'),
        ],
        indices: [index('uq_checkins_campaign_user', ['campaign_id', 'user_id'], true)],
      }),
      new Table({
        name: 'notices',
        columns: [primary(), id('township_id'), id('user_id'), text('title', 60), text('body', 200), text('link', 200, true), time('created_at'), time('read_at', true)],
        indices: [index('idx_notices_user_created', ['user_id', 'created_at'])],
      }),
      new Table({
        name: 'subscribe_consents',
        columns: [primary(), id('township_id'), id('user_id'), text('kind', 32), int('credits'), time('updated_at')],
        indices: [index('uq_subscribe_consents_user_kind', ['user_id', 'kind'], true)],
      }),
    ];
    for (const table of tables) await runner.createTable(table);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['subscribe_consents', 'notices', 'checkins', 'viewing_rejections', 'viewing_progress', 'campaign_units', 'campaigns', 'videos']) {
      await runner.dropTable(table);
    }
  }
}
