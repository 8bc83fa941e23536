import { Entity, Index } from 'typeorm';
import { IdPrimary, TextColumn, TimeColumn } from '../columns.js';

@Index('uq_townships_code', ['code'], { unique: true })
@Entity('townships')
export class TownshipEntity {
  @IdPrimary() id: string;
  @TextColumn('code', 32) code: string;
  @TextColumn('name', 60) name: string;
  @TimeColumn('created_at') createdAt: Date;
}
