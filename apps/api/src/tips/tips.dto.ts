import {
  REPORTER_VISIBLE_EVENTS,
  type MaskedIdentifier,
  type TipAttachmentResponse,
  type TipEventResponse,
  type TipFollowUpResponse,
} from '@qmfz/contracts';
import type { TipAttachmentEntity, TipEntity, TipEventEntity, TipIdentifierEntity, TipRewardEntity } from '../database/entities/index.js';
import { toReporterReward } from '../rewards/rewards.dto.js';

/*
 * Entity → response mappers of tips, for the resident side and police triage alike. Request bodies are checked by
 * hand in tip-request.ts (their shapes are the contracts' CreateTipRequest, ReceiptRequest and AddTipInfoRequest).
 */

export function toAttachmentResponse(attachment: TipAttachmentEntity): TipAttachmentResponse {
  return { id: attachment.id, contentType: attachment.contentType, sizeBytes: attachment.sizeBytes, width: attachment.width, height: attachment.height };
}

export function toMaskedIdentifier(identifier: TipIdentifierEntity): MaskedIdentifier {
  return { kind: identifier.kind, masked: identifier.valueMasked };
}

/** An event as the reporter sees it: never who wrote it. `body` is the decrypted text. */
export function toReporterEvent(event: TipEventEntity, body: string | null): TipEventResponse {
  if (!REPORTER_VISIBLE_EVENTS.includes(event.kind)) throw new Error(`event kind ${event.kind} is not for reporters`);
  return { id: event.id, kind: event.kind, status: event.status, body, author: null, createdAt: event.createdAt.toISOString() };
}

export function toFollowUpResponse(
  tip: TipEntity,
  identifiers: TipIdentifierEntity[],
  events: TipEventResponse[],
  reward: TipRewardEntity | null,
): TipFollowUpResponse {
  return {
    fraudType: tip.fraudType,
    status: tip.status,
    createdAt: tip.createdAt.toISOString(),
    updatedAt: tip.updatedAt.toISOString(),
    identifiers: identifiers.map(toMaskedIdentifier),
    attachmentCount: tip.attachmentCount,
    events,
    reward: reward && toReporterReward(reward, tip.reporterPhoneCipher !== null),
  };
}
