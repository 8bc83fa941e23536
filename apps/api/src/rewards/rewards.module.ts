import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { RewardClaimController, RewardsController } from './rewards.controller.js';
import { RewardsRepository } from './rewards.repository.js';
import { RewardsService } from './rewards.service.js';
import { TalliesService } from './tallies.service.js';

/** Reward claims, the two-person payout approval, identity reveals with their audit record, tallies. */
@Global()
@Module({
  imports: [AuditModule],
  controllers: [RewardsController, RewardClaimController],
  providers: [RewardsRepository, RewardsService, TalliesService],
  exports: [RewardsRepository, RewardsService],
})
export class RewardsModule {}
