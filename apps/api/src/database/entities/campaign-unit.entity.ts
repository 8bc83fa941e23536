import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary } from '../columns.js';

@Index('uq_campaign_units_campaign_unit', ['campaignId', 'unitId'], { unique: true })
@Index('idx_campaign_units_township_unit', ['townshipId', 'unitId'])
@Entity('campaign_units')
export class CampaignUnitEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('campaign_id') campaignId: string;
  @IdColumn('unit_id') unitId: string;
}
