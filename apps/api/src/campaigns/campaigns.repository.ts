import { Inject, Injectable } from '@nestjs/common';
import { MembershipStatus, Role } from '@qmfz/contracts';
import { DataSource, In, Repository } from 'typeorm';
import { CampaignEntity, CampaignUnitEntity } from '../database/entities/index.js';
import { selectRows } from '../database/plain-sql.js';

export type CampaignWithUnits = CampaignEntity & { unitIds: string[] };

/** A person a campaign requires: an active member, in one of its units, with one of its roles. */
export interface RequiredMember {
  userId: string;
  unitId: string;
  role: Role;
  displayName: string;
}

@Injectable()
export class CampaignsRepository {
  private readonly campaigns: Repository<CampaignEntity>;
  private readonly campaignUnits: Repository<CampaignUnitEntity>;

  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {
    this.campaigns = dataSource.getRepository(CampaignEntity);
    this.campaignUnits = dataSource.getRepository(CampaignUnitEntity);
  }

  /** The campaign and its units in one transaction: never a campaign without its units. */
  async insert(campaign: CampaignEntity, units: CampaignUnitEntity[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(CampaignEntity).insert(campaign);
      await manager.getRepository(CampaignUnitEntity).insert(units);
    });
  }

  async findInTownship(townshipId: string, id: string): Promise<CampaignWithUnits | null> {
    const campaign = await this.campaigns.findOneBy({ townshipId, id });
    return campaign ? (await this.withUnits([campaign]))[0] : null;
  }

  /** Newest deadline first. */
  async listInTownship(townshipId: string): Promise<CampaignWithUnits[]> {
    return this.withUnits(await this.campaigns.find({ where: { townshipId }, order: { deadline: 'DESC', id: 'DESC' } }));
  }

  /** Campaigns that include at least one of the units. */
  async listIncludingUnits(townshipId: string, unitIds: string[]): Promise<CampaignWithUnits[]> {
    if (unitIds.length === 0) return [];
    const links = await this.campaignUnits.find({ where: { townshipId, unitId: In(unitIds) }, select: { campaignId: true } });
    const ids = [...new Set(links.map((link) => link.campaignId))];
    if (ids.length === 0) return [];
    return this.withUnits(await this.campaigns.find({ where: { townshipId, id: In(ids) }, order: { deadline: 'DESC', id: 'DESC' } }));
  }

  /** Everyone the campaign requires in the given units (a person in two such units appears twice). */
  async requiredMembers(campaign: CampaignEntity, unitIds: string[]): Promise<RequiredMember[]> {
    const roles = rolesOf(campaign);
    if (unitIds.length === 0 || roles.length === 0) return [];
    const sql =
      'SELECT m.user_id, m.unit_id, m.role, u.display_name FROM memberships m INNER JOIN users u ON u.id = m.user_id ' +
      `WHERE m.township_id = ? AND m.status = ? AND m.unit_id IN (${marks(unitIds)}) AND m.role IN (${marks(roles)}) ` +
      'ORDER BY m.unit_id, u.display_name, m.user_id';
    const rows = await selectRows(this.dataSource, sql, [campaign.townshipId, MembershipStatus.ACTIVE, ...unitIds, ...roles]);
    return rows.map((row) => ({
      userId: row.user_id as string,
      unitId: row.unit_id as string,
      role: row.role as Role,
      displayName: row.display_name as string,
    }));
  }

  /** Active unit admins of the units, for the heads-first rule. */
  async unitAdmins(townshipId: string, unitIds: string[]): Promise<{ userId: string; unitId: string }[]> {
    if (unitIds.length === 0) return [];
    const sql = `SELECT user_id, unit_id FROM memberships WHERE township_id = ? AND status = ? AND role = ? AND unit_id IN (${marks(unitIds)})`;
    const rows = await selectRows(this.dataSource, sql, [townshipId, MembershipStatus.ACTIVE, Role.UNIT_ADMIN, ...unitIds]);
    return rows.map((row) => ({ userId: row.user_id as string, unitId: row.unit_id as string }));
  }

  private async withUnits(campaigns: CampaignEntity[]): Promise<CampaignWithUnits[]> {
    if (campaigns.length === 0) return [];
    const links = await this.campaignUnits.find({ where: { campaignId: In(campaigns.map((c) => c.id)) }, order: { id: 'ASC' } });
    return campaigns.map((campaign) => ({ ...campaign, unitIds: links.filter((l) => l.campaignId === campaign.id).map((l) => l.unitId) }));
  }
}

export function rolesOf(campaign: Pick<CampaignEntity, 'roles'>): Role[] {
  return campaign.roles.split(',').filter(Boolean) as Role[];
}

function marks(values: unknown[]): string {
  return values.map(() => '?').join(', ');
}
