import { ApiProperty } from '@nestjs/swagger';
import {
  LIMITS,
  ROLES,
  type DevLoginRequest,
  type MeResponse,
  type PhoneNumberRequest,
  type PhoneNumberResponse,
  type RefreshRequest,
  type Role,
  type TokenResponse,
  type WechatLoginRequest,
} from '@qmfz/contracts';
import { Label, OneOf, OptionalId, OptionalText, RequiredText } from '../common/validation.js';

export class WechatLoginDto implements WechatLoginRequest {
  @Label('登录凭证')
  @RequiredText(LIMITS.wechatCodeMax, '0a3Xyz...')
  code: string;
}

export class PhoneNumberDto implements PhoneNumberRequest {
  @Label('手机号凭证')
  @RequiredText(LIMITS.wechatCodeMax)
  code: string;
}

export class RefreshDto implements RefreshRequest {
  @Label('登录凭证')
  @RequiredText(128)
  refreshToken: string;
}

export class DevLoginDto implements DevLoginRequest {
  @Label('角色')
  @OneOf(ROLES, false)
  role?: Role;

  @Label('单位')
  @OptionalId()
  unitId?: string;

  @Label('姓名')
  @OptionalText(LIMITS.nameMax)
  name?: string;

  @Label('乡镇代码')
  @OptionalText(32)
  townshipCode?: string;
}

export class TokenResponseDto implements TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty() expiresIn: number;
  @ApiProperty() refreshToken: string;
  @ApiProperty() refreshExpiresIn: number;
}

export class PhoneNumberResponseDto implements PhoneNumberResponse {
  @ApiProperty({ example: '138****5678' }) phoneMasked: string;
  @ApiProperty() claimedMemberships: number;
}

export class MeResponseDto implements MeResponse {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ nullable: true, type: String }) phoneMasked: string | null;
  @ApiProperty() township: MeResponse['township'];
  @ApiProperty() memberships: MeResponse['memberships'];
}
