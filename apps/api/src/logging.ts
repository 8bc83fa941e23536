import type { LogLevel } from '@nestjs/common';
import type { FastifyServerOptions } from 'fastify';
export interface LogStream {
  write(line: string): void;
}
import type { AppConfig } from './config/config.js';

/**
 * Structured request logs that never carry secrets: the URL is logged without its query string,
 * headers and bodies are never logged, and known secret-bearing keys are redacted wherever they appear.
 */
export function loggerOptions(config: AppConfig, stream?: LogStream): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['*.authorization', '*.token', '*.accessToken', '*.refreshToken', '*.code', '*.secret', '*.phone', '*.phoneNumber', '*.session_key'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  } as FastifyServerOptions['logger'];
}

const NEST_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug'];

/** Nest's own logger (start-up, errors) at the same threshold as the request logger. */
export function nestLogLevels(level: AppConfig['logLevel']): LogLevel[] {
  const cut = { fatal: 1, error: 2, warn: 3, info: 4, debug: 5, silent: 0 }[level];
  return NEST_LEVELS.slice(0, cut);
}
