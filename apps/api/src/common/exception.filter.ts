import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ERROR_MESSAGES, ErrorCode, type ErrorResponse } from '@qmfz/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from './app-exception.js';

interface FastifyError {
  code?: string;
  statusCode?: number;
}

// Fastify's own errors (raised before Nest sees the request) mapped to our stable codes.
const FASTIFY_ERRORS: Record<string, [ErrorCode, HttpStatus]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [ErrorCode.MALFORMED_JSON, HttpStatus.BAD_REQUEST],
  FST_ERR_CTP_EMPTY_JSON_BODY: [ErrorCode.MALFORMED_JSON, HttpStatus.BAD_REQUEST],
  FST_ERR_CTP_BODY_TOO_LARGE: [ErrorCode.PAYLOAD_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE],
  FST_REQ_FILE_TOO_LARGE: [ErrorCode.PAYLOAD_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [ErrorCode.UNSUPPORTED_MEDIA_TYPE, HttpStatus.UNSUPPORTED_MEDIA_TYPE],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [ErrorCode.MALFORMED_JSON, HttpStatus.BAD_REQUEST],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [ErrorCode.UNSUPPORTED_MEDIA_TYPE, HttpStatus.UNSUPPORTED_MEDIA_TYPE],
};

/** The one place that turns any thrown value into `{ code, message, requestId }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toResponse(exception, String(request.id));
    if (exception instanceof AppException && status >= 500) {
      // An expected outage (WeChat down, …): the code says what happened, a stack would add nothing.
      this.logger.warn({ requestId: request.id, errorCode: body.code, status });
    } else if (status >= 500) {
      // Log the type and stack, never the request body: it may hold codes, tokens or phone numbers.
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ requestId: request.id, error: { name: error.name, message: scrub(error.message), stack: scrub(error.stack) } });
    }
    if (exception instanceof AppException && exception.retryAfterSeconds !== undefined) reply.header('retry-after', String(exception.retryAfterSeconds));
    reply.status(status).header('x-request-id', body.requestId).send(body);
  }

  private toResponse(exception: unknown, requestId: string): [number, ErrorResponse] {
    if (exception instanceof AppException) {
      return [exception.status, { code: exception.code, message: exception.message, requestId, details: exception.details }];
    }
    // Nest wraps Fastify's client errors in an HttpException whose cause is the original.
    const fastifyCode = (exception as FastifyError)?.code ?? ((exception as { cause?: FastifyError })?.cause)?.code;
    const mapped = fastifyCode ? FASTIFY_ERRORS[fastifyCode] : undefined;
    if (mapped) return [mapped[1], { code: mapped[0], message: ERROR_MESSAGES[mapped[0]], requestId }];
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = HTTP_FALLBACK[status] ?? (status < 500 ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL);
      return [status, { code, message: ERROR_MESSAGES[code], requestId }];
    }
    const statusCode = (exception as FastifyError)?.statusCode;
    if (statusCode && statusCode >= 400 && statusCode < 500) {
      const code = HTTP_FALLBACK[statusCode] ?? ErrorCode.VALIDATION_FAILED;
      return [statusCode, { code, message: ERROR_MESSAGES[code], requestId }];
    }
    return [HttpStatus.INTERNAL_SERVER_ERROR, { code: ErrorCode.INTERNAL, message: ERROR_MESSAGES.INTERNAL, requestId }];
  }
}

/** Database errors quote the offending values ("Duplicate entry 'openid…'"): keep the shape, drop the values. */
function scrub(text: string | undefined): string | undefined {
  return text?.replace(/'[^'\n]*'/g, "'…'").replace(/"[^"\n]*"/g, '"…"');
}

const HTTP_FALLBACK: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.AUTH_REQUIRED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  429: ErrorCode.RATE_LIMITED,
};
