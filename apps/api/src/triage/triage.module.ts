import { Module } from '@nestjs/common';
import { TriageController } from './triage.controller.js';
import { TriageRepository } from './triage.repository.js';
import { TriageService } from './triage.service.js';

/**
 * Police triage of tips: lists, detail, status, assignment, labels, replies, reward decisions. Image links come
 * from TipsModule's TipImageLinks, reward decisions go through RewardsModule (both global).
 */
@Module({
  controllers: [TriageController],
  providers: [TriageRepository, TriageService],
})
export class TriageModule {}
