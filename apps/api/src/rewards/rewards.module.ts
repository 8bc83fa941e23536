import { Module } from '@nestjs/common';

/** Reward claims, the two-person payout approval, identity reveals with their audit record, tallies. */
@Module({})
export class RewardsModule {}
