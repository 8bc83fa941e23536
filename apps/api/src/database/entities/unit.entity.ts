import type { UnitKind } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

@Index('uq_units_township_name', ['townshipId', 'name'], { unique: true })
@Index('idx_units_township_kind', ['townshipId', 'kind'])
@Entity('units')
export class UnitEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @TextColumn('name', 60) name: string;
  @TextColumn('kind', 24) kind: UnitKind;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
