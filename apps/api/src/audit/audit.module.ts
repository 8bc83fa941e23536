import { Module } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository.js';

/** The append-only audit log of sensitive acts, for the features that record them (rewards and identity reveals). */
@Module({
  providers: [AuditLogRepository],
  exports: [AuditLogRepository],
})
export class AuditModule {}
