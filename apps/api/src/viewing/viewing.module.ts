import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ViewingController } from './viewing.controller.js';
import { ViewingRepository } from './viewing.repository.js';
import { ViewingService } from './viewing.service.js';
import { ViewingTokenCodec } from './viewing-token.js';

@Global()
@Module({
  controllers: [ViewingController],
  providers: [
    ViewingRepository,
    ViewingService,
    { provide: ViewingTokenCodec, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new ViewingTokenCodec(config.auth.jwtSecret) },
  ],
  exports: [ViewingRepository],
})
export class ViewingModule {}
