import type { IdentifierKind } from '@qmfz/contracts';
import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, IntColumn, TextColumn } from '../columns.js';

/** A suspect identifier named by a tip: matched by its blind index, shown masked, readable only decrypted. */
@Index('idx_tip_identifiers_township_value', ['townshipId', 'valueIndex'])
@Index('idx_tip_identifiers_tip', ['tipId'])
@Entity('tip_identifiers')
export class TipIdentifierEntity {
  @IdPrimary() id: string;
  @IdColumn('township_id') townshipId: string;
  @IdColumn('tip_id') tipId: string;
  @TextColumn('kind', 16) kind: IdentifierKind;
  /** Keyed hash of kind and normalised value. */
  @TextColumn('value_index', 64) valueIndex: string;
  @TextColumn('value_cipher', 1000) valueCipher: string;
  @TextColumn('value_masked', 80) valueMasked: string;
  @IntColumn('position') position: number;
}
