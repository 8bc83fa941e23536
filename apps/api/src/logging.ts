import type { LoggerService } from '@nestjs/common';
import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config/config.js';

export interface LogStream {
  write(line: string): void;
}

// Keys that carry credentials or personal data wherever they appear in a logged object (top level or one down).
const SECRET_KEYS = [
  'authorization',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'code',
  'js_code',
  'secret',
  'phone',
  'phoneNumber',
  'purePhoneNumber',
  'receiptCode',
  'session_key',
  'sessionKey',
];

interface LoggedRequest {
  method: string;
  url: string;
}

/** `/api/x?token=…` → `/api/x`: query strings may carry codes or tokens. */
function pathOf(request: LoggedRequest | undefined): string | undefined {
  return request?.url.split('?')[0];
}

/**
 * Structured request logs that never carry secrets: the URL is logged without its query string,
 * headers and bodies are never logged, and known secret-bearing keys are redacted wherever they appear.
 * Each request gives two lines (`incoming request`, `request completed`), both with method and path.
 */
export function loggerOptions(config: AppConfig, stream?: LogStream): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    redact: {
      paths: SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
      censor: '[redacted]',
    },
    serializers: {
      req: (req: LoggedRequest) => ({ method: req.method, path: pathOf(req) }),
      // Fastify passes the reply here; its request says which call the status belongs to.
      res: (reply: { statusCode: number; request?: LoggedRequest }) => ({
        method: reply.request?.method,
        path: pathOf(reply.request),
        statusCode: reply.statusCode,
      }),
      // Fastify's own error lines: only the kind of error, since parse errors quote the body they failed on.
      // Our code logs its errors under `error`, with message and stack, and never with request data.
      err: (err: { name?: string; code?: string; statusCode?: number }) => ({ type: err?.name, errorCode: err?.code, statusCode: err?.statusCode }),
    },
  } as unknown as FastifyServerOptions['logger'];
}

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Sends Nest's logs (start-up, `new Logger(...)` in services, the exception filter) through the request logger,
 * so every line has one format, goes to one stream and passes through the same redaction.
 */
export class NestToPinoLogger implements LoggerService {
  constructor(private readonly pino: FastifyBaseLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    // Nest's Logger appends the context name as the last argument; `error` may carry a stack before it.
    const last = params.at(-1);
    const context = typeof last === 'string' ? last : undefined;
    const rest = (context === undefined ? params : params.slice(0, -1)).filter((p) => p !== undefined);
    const fields: Record<string, unknown> = { context };
    if (level === 'error' && typeof rest[0] === 'string') fields.stack = rest[0];
    if (message instanceof Error) {
      this.pino[level]({ ...fields, error: { name: message.name, message: message.message, stack: message.stack } }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as object) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
