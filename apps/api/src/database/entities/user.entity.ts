import { Entity, Index } from 'typeorm';
import { IdColumn, IdPrimary, TextColumn, TimeColumn } from '../columns.js';

@Index('uq_users_openid', ['openid'], { unique: true })
@Index('uq_users_dev_key', ['devKey'], { unique: true })
@Index('idx_users_township_phone', ['townshipId', 'phoneIndex'])
@Entity('users')
export class UserEntity {
  @IdPrimary() id: string;
  /** Home township: the tenant every query of this user is scoped to. */
  @IdColumn('township_id') townshipId: string;
  @TextColumn('openid', 64, { nullable: true }) openid: string | null;
  @TextColumn('unionid', 64, { nullable: true }) unionid: string | null;
  /** Identity of a development-login user; never set in production. */
  @TextColumn('dev_key', 120, { nullable: true }) devKey: string | null;
  @TextColumn('display_name', 40) displayName: string;
  /** AES-256-GCM ciphertext of the phone number, with its key id. */
  @TextColumn('phone_cipher', 200, { nullable: true }) phoneCipher: string | null;
  /** Keyed hash of the normalised number, for matching without plaintext. */
  @TextColumn('phone_index', 64, { nullable: true }) phoneIndex: string | null;
  @TextColumn('phone_masked', 16, { nullable: true }) phoneMasked: string | null;
  @TimeColumn('created_at') createdAt: Date;
  @TimeColumn('updated_at') updatedAt: Date;
}
