import { Module } from '@nestjs/common';

/** Tip submission, image attachments, follow-up by receipt code and the retention job. */
@Module({})
export class TipsModule {}
