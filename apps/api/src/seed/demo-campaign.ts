import { Role, VideoSource } from '@qmfz/contracts';
import { copyFile, mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { newId } from '../common/ids.js';
import { CampaignEntity, CampaignUnitEntity, TownshipEntity, UnitEntity, UserEntity, VideoEntity } from '../database/entities/index.js';
import { readDurationSeconds, sniffVideoType, VIDEO_HEAD_BYTES } from '../videos/video-file.js';
import { DEMO_TOWNSHIP } from './demo-data.js';

const DEMO_VIDEO_TITLE = '反诈短片（演示）';
const DEMO_CAMPAIGN_TITLE = '全体干部观看反诈宣传片';
const DEMO_DEADLINE_DAYS = 14;

/**
 * A demo video (copied into the video folder) and a campaign for every unit of the demo township, heads first, so
 * the laptop demo shows 观看打卡 end to end. Looked up by title first: running it twice creates nothing.
 */
export async function seedDemoCampaign(dataSource: DataSource, videoDir: string, videoFile: string, now = new Date()): Promise<number> {
  const township = await dataSource.getRepository(TownshipEntity).findOneBy({ code: DEMO_TOWNSHIP.code });
  if (!township) throw new Error('seed the demo township first');
  const videos = dataSource.getRepository(VideoEntity);
  if (await videos.findOneBy({ townshipId: township.id, title: DEMO_VIDEO_TITLE })) return 0;

  const head = Buffer.alloc(VIDEO_HEAD_BYTES);
  const handle = await open(videoFile, 'r');
  await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  const contentType = sniffVideoType(head);
  const seconds = contentType ? await readDurationSeconds(videoFile, contentType) : null;
  if (!contentType || !seconds) throw new Error(`${videoFile} is not an MP4 or WebM video with a duration`);
  await mkdir(videoDir, { recursive: true });
  const storageKey = `${newId()}.${contentType === 'video/mp4' ? 'mp4' : 'webm'}`;
  await copyFile(videoFile, join(videoDir, storageKey));

  const admin = await dataSource.getRepository(UserEntity).findOneBy({ townshipId: township.id, displayName: '平安办管理员' });
  const createdBy = admin?.id ?? newId();
  const video: VideoEntity = {
    id: newId(),
    townshipId: township.id,
    title: DEMO_VIDEO_TITLE,
    source: VideoSource.UPLOAD,
    url: null,
    storageKey,
    contentType,
    sizeBytes: (await stat(videoFile)).size,
    durationMs: Math.round(seconds * 1000),
    createdBy,
    createdAt: now,
  };
  const campaign: CampaignEntity = {
    id: newId(),
    townshipId: township.id,
    videoId: video.id,
    title: DEMO_CAMPAIGN_TITLE,
    deadline: new Date(now.getTime() + DEMO_DEADLINE_DAYS * 24 * 3600 * 1000),
    roles: [Role.STAFF, Role.UNIT_ADMIN, Role.POLICE].join(','),
    headsFirst: 1,
    createdBy,
    createdAt: now,
  };
  const units = await dataSource.getRepository(UnitEntity).findBy({ townshipId: township.id });
  await dataSource.transaction(async (manager) => {
    await manager.insert(VideoEntity, video);
    await manager.insert(CampaignEntity, campaign);
    await manager.insert(
      CampaignUnitEntity,
      units.map((unit) => ({ id: newId(), townshipId: township.id, campaignId: campaign.id, unitId: unit.id })),
    );
  });
  return 2 + units.length;
}
