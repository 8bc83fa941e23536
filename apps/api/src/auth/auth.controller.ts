import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { MeResponse, PhoneNumberResponse, TokenResponse } from '@qmfz/contracts';
import { RateLimit, RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import type { Actor } from './actor.js';
import { DevLoginDto, MeResponseDto, PhoneNumberDto, PhoneNumberResponseDto, RefreshDto, TokenResponseDto, WechatLoginDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { CurrentActor, Public } from './decorators.js';

const LOGIN_LIMIT = { limit: 30, windowSeconds: 60 };

@ApiTags('auth')
@Controller()
@UseGuards(RateLimitGuard)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('auth/wechat')
  @HttpCode(200)
  @RateLimit({ name: 'login', ...LOGIN_LIMIT })
  @ApiOperation({ summary: 'Sign in with a wx.login code' })
  @ApiOkResponse({ type: TokenResponseDto })
  loginWithWechat(@Body() body: WechatLoginDto): Promise<TokenResponse> {
    return this.auth.loginWithWechat(body.code);
  }

  @Public()
  @Post('auth/dev-login')
  @HttpCode(200)
  @RateLimit({ name: 'login', ...LOGIN_LIMIT })
  @ApiOperation({ summary: 'Development only: sign in as a demo user with a role and unit' })
  @ApiOkResponse({ type: TokenResponseDto })
  devLogin(@Body() body: DevLoginDto): Promise<TokenResponse> {
    return this.auth.devLogin(body);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @RateLimit({ name: 'refresh', limit: 60, windowSeconds: 60 })
  @ApiOkResponse({ type: TokenResponseDto })
  refresh(@Body() body: RefreshDto): Promise<TokenResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  @Post('auth/phone')
  @HttpCode(200)
  @ApiBearerAuth()
  @RateLimit({ name: 'phone', limit: 10, windowSeconds: 60, per: 'user' })
  @ApiOperation({ summary: 'Bind the phone number from a getPhoneNumber code' })
  @ApiOkResponse({ type: PhoneNumberResponseDto })
  bindPhone(@CurrentActor() actor: Actor, @Body() body: PhoneNumberDto): Promise<PhoneNumberResponse> {
    return this.auth.bindPhone(actor, body.code);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({ type: MeResponseDto })
  me(@CurrentActor() actor: Actor): Promise<MeResponse> {
    return this.auth.me(actor);
  }
}
