import type { Role } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

/** A person named on an imported roster, matched to a user when that user verifies the same phone number. */
@Index('uq_roster_entries_unit_phone', ['unitId', 'phoneIndex'], { unique: true })
@Index('idx_roster_entries_township_phone', ['townshipId', 'phoneIndex'])
@Entity('roster_entries')
export class RosterEntryEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('unit_id') unitId: string;
  @TextColumn('display_name', 40) displayName: string;
  @TextColumn('phone_cipher', 200) phoneCipher: string;
  @TextColumn('phone_index', 64) phoneIndex: string;
  @TextColumn('phone_masked', 16) phoneMasked: string;
  @TextColumn('role', 24) role: Role;
  @IdColumn('claimed_by', { nullable: true }) claimedBy: string | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
