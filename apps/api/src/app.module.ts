import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import { CryptoModule } from './crypto/crypto.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { NoticesModule } from './notices/notices.module.js';
import { OrgModule } from './org/org.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { RewardsModule } from './rewards/rewards.module.js';
import { TipsModule } from './tips/tips.module.js';
import { TriageModule } from './triage/triage.module.js';
import { UsersModule } from './users/users.module.js';
import { VideosModule } from './videos/videos.module.js';
import { ViewingModule } from './viewing/viewing.module.js';
import { WechatModule } from './wechat/wechat.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CryptoModule,
        RateLimitModule,
        WechatModule,
        UsersModule,
        OrgModule,
        VideosModule,
        NoticesModule,
        ViewingModule,
        CampaignsModule,
        TipsModule,
        TriageModule,
        RewardsModule,
        AuthModule,
        HealthModule,
      ],
    };
  }
}
