import type { TipEventKind, TipStatus } from '@qmfz/contracts';
import { newId } from '../common/ids.js';
import type { TipEntity, TipEventEntity } from '../database/entities/index.js';

/** A step of a tip's history, in the tip's township. Defaults: no status, no body, written by the reporter (no author). */
export function newTipEvent(
  tip: Pick<TipEntity, 'id' | 'townshipId'>,
  kind: TipEventKind,
  at: Date,
  fields: { status?: TipStatus; bodyCipher?: string | null; authorId?: string } = {},
): TipEventEntity {
  return {
    id: newId(),
    townshipId: tip.townshipId,
    tipId: tip.id,
    kind,
    status: fields.status ?? null,
    bodyCipher: fields.bodyCipher ?? null,
    authorId: fields.authorId ?? null,
    createdAt: at,
  };
}
