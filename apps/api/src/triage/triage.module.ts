import { Module } from '@nestjs/common';

/** Police triage of tips: lists, detail, status, assignment, labels, replies, reward decisions. */
@Module({})
export class TriageModule {}
