import { ApiProperty } from '@nestjs/swagger';
import {
  CREATABLE_UNIT_KINDS,
  LIMITS,
  MEMBERSHIP_STATUSES,
  ROLES,
  UNIT_KINDS,
  type CreateInviteRequest,
  type CreateUnitRequest,
  type InviteResponse,
  type JoinUnitRequest,
  type ListMembersQuery,
  type ListUnitsQuery,
  type MemberResponse,
  type MembershipResponse,
  type MembershipStatus,
  type Role,
  type RosterEntryResponse,
  type RosterImportResponse,
  type RosterImportRowError,
  type TownshipResponse,
  type UnitKind,
  type UnitResponse,
  type UpdateUnitRequest,
} from '@qmfz/contracts';
import { Transform } from 'class-transformer';
import { Label, OneOf, OptionalInt, OptionalText, RequiredText } from '../common/validation.js';

/** Surrounding spaces are never part of a name: "三塘村 " and "三塘村" are the same unit. */
const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

// Requests

export class CreateUnitDto implements CreateUnitRequest {
  @Label('单位名称')
  @Trim()
  @RequiredText(LIMITS.unitNameMax, '三塘村')
  name: string;

  @Label('单位类型')
  @OneOf(CREATABLE_UNIT_KINDS)
  kind: UnitKind;
}

export class UpdateUnitDto implements UpdateUnitRequest {
  @Label('单位名称')
  @Trim()
  @OptionalText(LIMITS.unitNameMax)
  name?: string;
}

export class ListUnitsQueryDto implements ListUnitsQuery {
  @Label('单位类型')
  @OneOf(UNIT_KINDS, false)
  kind?: UnitKind;
}

export class CreateInviteDto implements CreateInviteRequest {
  @Label('角色')
  @OneOf(ROLES, false)
  role?: Role;

  @Label('有效时长')
  @OptionalInt(1, LIMITS.inviteMaxHours)
  validHours?: number;
}

export class JoinUnitDto implements JoinUnitRequest {
  @Label('邀请码')
  @RequiredText(32, 'K7M2QX9A')
  code: string;
}

export class ListMembersQueryDto implements ListMembersQuery {
  @Label('状态')
  @OneOf(MEMBERSHIP_STATUSES, false)
  status?: MembershipStatus;
}

// Responses (for the OpenAPI document; the shapes are the contracts' types)

export class TownshipResponseDto implements TownshipResponse {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'baitu' }) code: string;
  @ApiProperty({ example: '白土乡' }) name: string;
}

export class UnitResponseDto implements UnitResponse {
  @ApiProperty() id: string;
  @ApiProperty() townshipId: string;
  @ApiProperty({ example: '三塘村' }) name: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind: UnitKind;
  @ApiProperty() createdAt: string;
}

export class InviteResponseDto implements InviteResponse {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty({ example: 'K7M2QX9A' }) code: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
  @ApiProperty() createdAt: string;
}

export class MembershipResponseDto implements MembershipResponse {
  @ApiProperty() id: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ enum: UNIT_KINDS }) unitKind: UnitKind;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: MembershipStatus;
  @ApiProperty() createdAt: string;
}

export class MemberResponseDto implements MemberResponse {
  @ApiProperty() id: string;
  @ApiProperty() userId: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ nullable: true, type: String, example: '138****5678' }) phoneMasked: string | null;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ enum: MEMBERSHIP_STATUSES }) status: MembershipStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
}

export class RosterImportRowErrorDto implements RosterImportRowError {
  @ApiProperty({ description: '1-based line in the file; the header is line 1' }) line: number;
  @ApiProperty({ example: '手机号格式不正确，应为 11 位中国大陆手机号' }) reason: string;
}

export class RosterImportResponseDto implements RosterImportResponse {
  @ApiProperty() imported: number;
  @ApiProperty() updated: number;
  @ApiProperty({ type: [RosterImportRowErrorDto] }) errors: RosterImportRowError[];
}

export class RosterEntryResponseDto implements RosterEntryResponse {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ example: '138****5678' }) phoneMasked: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() claimed: boolean;
}

/** Documents the multipart upload; the file itself is read from the request stream, not bound to a DTO. */
export class RosterUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'CSV (UTF-8) or XLSX; columns 姓名/name, 手机号/phone, 角色/role' })
  file: unknown;
}
