import 'reflect-metadata';
import { relative, sep } from 'node:path';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LIMITS } from '@qmfz/contracts';

import { AppModule } from './app.module.js';
import { AllExceptionsFilter } from './common/exception.filter.js';
import { newId } from './common/ids.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/config.js';
import { loggerOptions, NestToPinoLogger, type LogStream } from './logging.js';

export interface CreateAppOptions {
  /** Where structured logs go; stdout by default. Tests pass a stream to read them. */
  logStream?: LogStream;
}

/** Builds the configured application without listening: used by main, the tests and the benchmark alike. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: loggerOptions(config, options.logStream),
    bodyLimit: config.bodyLimitBytes,
    // How many proxies in front of us may set X-Forwarded-For: the client IP (rate limits) is the address the
    // outermost trusted proxy saw, not whatever the client wrote into the header.
    trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops,
    genReqId: () => newId(),
  });
  // The API speaks JSON and multipart only; anything else is a 415, not a string body that fails validation oddly.
  // `bodyParser: false` keeps Nest from adding a form-urlencoded parser; Fastify's own JSON parser stays.
  adapter.getInstance().removeContentTypeParser('text/plain');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    abortOnError: false,
    bodyParser: false,
    // One log stream, one format, one redaction for Nest's messages and the request lines alike.
    logger: config.logLevel === 'silent' ? false : new NestToPinoLogger(adapter.getInstance().log),
  });
  await app.register(multipart, { limits: { fileSize: LIMITS.rosterMaxBytes, files: 1, fields: 5 } });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('全民反诈 API').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (config.webDir) await serveWebApp(app, config.webDir);
  return app;
}

/** Build output whose file names carry a content hash (see apps/miniapp/config/index.ts): cacheable forever. */
const HASHED_DIRS = ['js', 'css', 'static'];
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The admin pages approve members and revoke codes with one tap, so no other site may frame them
 * (clickjacking); files are taken for what their type says, and no page address leaks to other sites.
 */
const WEB_APP_SECURITY_HEADERS = {
  'x-frame-options': 'DENY',
  'content-security-policy': "frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/**
 * Serves the built H5 app at `/` next to the API. Its files are not Nest routes (so not in the OpenAPI document),
 * and `/api/...` stays the API's: a GET there that no controller answers falls through to Nest's JSON 404.
 */
async function serveWebApp(app: NestFastifyApplication, root: string): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Swagger UI registers @fastify/static too; only one registration may decorate the reply.
    decorateReply: false,
    // Let `reply.callNotFound()` reach the global filter instead of serving `api/…` from the folder.
    allowedPath: (pathname) => pathname !== '/api' && !pathname.startsWith('/api/'),
    dotfiles: 'ignore',
    cacheControl: false,
    setHeaders: (reply, path) => {
      const top = relative(root, path).split(sep)[0];
      // index.html names the current hashed bundles, so it must be revalidated on every load.
      reply.header('cache-control', HASHED_DIRS.includes(top) ? IMMUTABLE : 'no-cache');
      for (const [name, value] of Object.entries(WEB_APP_SECURITY_HEADERS)) reply.header(name, value);
    },
  });
}
