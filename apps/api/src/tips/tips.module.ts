import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { FollowUpService } from './follow-up.service.js';
import { ReceiptCodes } from './receipt-code.js';
import { ReporterContacts } from './reporter-contact.js';
import { TipRetention, TipRetentionSchedule } from './retention.js';
import { TipAttachmentsRepository } from './tip-attachments.repository.js';
import { TipAttachmentsService } from './tip-attachments.service.js';
import { TipFileStorage } from './tip-files.js';
import { TipImageLinks } from './tip-image-links.js';
import { TipsController } from './tips.controller.js';
import { TipsRepository } from './tips.repository.js';
import { TipsService } from './tips.service.js';

/**
 * Tip submission, image attachments, follow-up by receipt code and the retention job. Exports what police triage
 * and rewards reuse: the repositories, the image storage, the signed image links, the receipt-code lookup and the
 * sealing of reporters' and claimants' contacts.
 */
@Global()
@Module({
  controllers: [TipsController],
  providers: [
    TipsRepository,
    TipAttachmentsRepository,
    TipFileStorage,
    ReceiptCodes,
    ReporterContacts,
    TipsService,
    TipAttachmentsService,
    FollowUpService,
    TipRetention,
    TipRetentionSchedule,
    RateLimitGuard,
    { provide: TipImageLinks, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TipImageLinks(config.auth.jwtSecret) },
  ],
  exports: [TipsRepository, TipAttachmentsRepository, TipFileStorage, TipImageLinks, TipRetention, ReceiptCodes, ReporterContacts],
})
export class TipsModule {}
