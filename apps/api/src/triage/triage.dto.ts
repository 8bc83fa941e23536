import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FRAUD_TYPES,
  LIMITS,
  TIP_STATUSES,
  TIP_TEXT_LIMITS,
  type FraudType,
  type PersonRef,
  type TipEventResponse,
  type TipListQuery,
  type TipReplyRequest,
  type TipStatus,
  type UpdateTipRequest,
} from '@qmfz/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPlainText, Label, MaxChars, MultilineText, OneOf, OptionalId, OptionalInt, ShanghaiDate, Trim, ULID_PATTERN } from '../common/validation.js';
import type { TipEventEntity } from '../database/entities/index.js';

/** `me`, `none` or an officer's id. */
const ASSIGNEE_FILTER = new RegExp(`^(me|none|${ULID_PATTERN.source.slice(1, -1)})$`);

/** Query strings arrive as text: a page size is read as a whole number or refused. */
const ToInt = () => Transform(({ value }) => (typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : value));

/** Labels are compared trimmed, and a label given twice is one label. */
const TrimmedUnique = () =>
  Transform(({ value }) => (Array.isArray(value) ? [...new Set(value.map((v: unknown) => (typeof v === 'string' ? v.trim() : v)))] : value));

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
  @MaxChars(TIP_TEXT_LIMITS.labelMax, { each: true })
  @IsPlainText({ each: true })
  labels?: string[];
}

export class TipReplyDto implements TipReplyRequest {
  @Label('回复内容')
  @ApiProperty({ maxLength: TIP_TEXT_LIMITS.replyMax })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxChars(TIP_TEXT_LIMITS.replyMax)
  @MultilineText()
  body: string;
}

// Responses (identifiers and images map as on the resident side: tips.dto.ts)

export function toEventResponse(event: TipEventEntity, body: string | null, author: PersonRef | null): TipEventResponse {
  return { id: event.id, kind: event.kind, status: event.status, body, author, createdAt: event.createdAt.toISOString() };
}
