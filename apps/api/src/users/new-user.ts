import { newId } from '../common/ids.js';
import type { UserEntity } from '../database/entities/index.js';

export const DEFAULT_DISPLAY_NAME = '微信用户';

/** A user row with every optional identity empty; callers name the township and whatever identity they have. */
export function newUser(fields: Pick<UserEntity, 'townshipId'> & Partial<UserEntity>, now = new Date()): UserEntity {
  return {
    id: newId(),
    openid: null,
    unionid: null,
    devKey: null,
    displayName: DEFAULT_DISPLAY_NAME,
    phoneCipher: null,
    phoneIndex: null,
    phoneMasked: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
