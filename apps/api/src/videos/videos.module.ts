import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { StreamLinks } from './stream-links.js';
import { VideoStorage } from './video-storage.js';
import { VideosController } from './videos.controller.js';
import { VideosRepository } from './videos.repository.js';
import { VideosService } from './videos.service.js';

@Global()
@Module({
  controllers: [VideosController],
  providers: [
    VideosRepository,
    VideoStorage,
    VideosService,
    { provide: StreamLinks, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new StreamLinks(config.auth.jwtSecret) },
  ],
  exports: [VideosRepository, StreamLinks],
})
export class VideosModule {}
