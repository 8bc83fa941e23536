import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FRAUD_TYPES,
  LIMITS,
  TIP_STATUSES,
  TIP_TEXT_LIMITS,
  type FraudType,
  type MaskedIdentifier,
  type PersonRef,
  type TipAttachmentResponse,
  type TipEventResponse,
  type TipListQuery,
  type TipReplyRequest,
  type TipStatus,
  type UpdateTipRequest,
} from '@qmfz/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy, type ValidationOptions } from 'class-validator';
import { isPlainText } from '../common/text.js';
import { Label, OneOf, OptionalId, OptionalInt, ULID_PATTERN } from '../common/validation.js';
import type { TipAttachmentEntity, TipEventEntity, TipIdentifierEntity } from '../database/entities/index.js';
import { ShanghaiDate, Trim } from '../rewards/rewards.dto.js';

/** `me`, `none` or an officer's id. */
const ASSIGNEE_FILTER = new RegExp(`^(me|none|${ULID_PATTERN.source.slice(1, -1)})$`);

/** Query strings arrive as text: a page size is read as a whole number or refused. */
const ToInt = () => Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

/** Labels are compared trimmed, and a label given twice is one label. */
const TrimmedUnique = () =>
  Transform(({ value }) => (Array.isArray(value) ? [...new Set(value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)))] : value));

// Line breaks are welcome in a reply; other control characters never are.
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/;
function MultilineText() {
  return ValidateBy({ name: 'isPlainText', validator: { validate: (value) => typeof value !== 'string' || !CONTROL_EXCEPT_NEWLINE.test(value.replace(/\r\n/g, '\n')) } });
}

/** No control characters at all (a label is one short line). */
function SingleLine(options?: ValidationOptions) {
  return ValidateBy({ name: 'isPlainText', validator: { validate: (value) => typeof value !== 'string' || isPlainText(value) } }, options);
}

// Requests

export class TipListQueryDto implements TipListQuery {
  @Label('状态')
  @OneOf(TIP_STATUSES, false)
  status?: TipStatus;

  @Label('诈骗类型')
  @OneOf(FRAUD_TYPES, false)
  fraudType?: FraudType;

  @Label('开始日期')
  @ApiPropertyOptional({ example: '2026-11-01' })
  @IsOptional()
  @IsString()
  @ShanghaiDate()
  from?: string;

  @Label('结束日期')
  @ApiPropertyOptional({ example: '2026-11-30' })
  @IsOptional()
  @IsString()
  @ShanghaiDate()
  to?: string;

  @Label('关联组')
  @OptionalId()
  groupId?: string;

  @Label('承办民警')
  @ApiPropertyOptional({ description: '`me`, `none` or an officer’s userId' })
  @IsOptional()
  @IsString()
  @Matches(ASSIGNEE_FILTER)
  assignee?: string;

  @Label('分页位置')
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cursor?: string;

  @Label('每页条数')
  @ToInt()
  @OptionalInt(1, LIMITS.pageSizeMax)
  limit?: number;
}

export class UpdateTipDto implements UpdateTipRequest {
  @Label('状态')
  @OneOf(TIP_STATUSES, false)
  status?: TipStatus;

  /** null unassigns; absent leaves the assignee as it is. */
  @Label('承办民警')
  @ApiPropertyOptional({ pattern: ULID_PATTERN.source, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(ULID_PATTERN)
  assigneeUserId?: string | null;

  @Label('标签')
  @ApiPropertyOptional({ type: [String], maxItems: TIP_TEXT_LIMITS.labelsMax })
  @TrimmedUnique()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(TIP_TEXT_LIMITS.labelsMax)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(TIP_TEXT_LIMITS.labelMax, { each: true })
  @SingleLine({ each: true })
  labels?: string[];
}

export class TipReplyDto implements TipReplyRequest {
  @Label('回复内容')
  @ApiProperty({ maxLength: TIP_TEXT_LIMITS.replyMax })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TIP_TEXT_LIMITS.replyMax)
  @MultilineText()
  body: string;
}

// Responses

export function toMaskedIdentifier(identifier: TipIdentifierEntity): MaskedIdentifier {
  return { kind: identifier.kind, masked: identifier.valueMasked };
}

export function toAttachmentResponse(attachment: TipAttachmentEntity): TipAttachmentResponse {
  return { id: attachment.id, contentType: attachment.contentType, sizeBytes: attachment.sizeBytes, width: attachment.width, height: attachment.height };
}

export function toEventResponse(event: TipEventEntity, body: string | null, author: PersonRef | null): TipEventResponse {
  return { id: event.id, kind: event.kind, status: event.status, body, author, createdAt: event.createdAt.toISOString() };
}
