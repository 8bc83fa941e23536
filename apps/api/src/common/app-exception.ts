import { HttpStatus } from '@nestjs/common';
import { ERROR_MESSAGES, ErrorCode } from '@qmfz/contracts';

/** An expected failure: a stable code, an HTTP status and a Chinese message for people. */
export class AppException extends Error {
  /** Seconds after which a retry may succeed, sent as `Retry-After` (503 and 429 answers). */
  retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    readonly status: HttpStatus,
    message: string = ERROR_MESSAGES[code],
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
    this.name = 'AppException';
  }

  static badRequest(code: ErrorCode, message?: string) {
    return new AppException(code, HttpStatus.BAD_REQUEST, message);
  }
  static unauthorized(code: ErrorCode = ErrorCode.AUTH_REQUIRED) {
    return new AppException(code, HttpStatus.UNAUTHORIZED);
  }
  static forbidden(message?: string) {
    return new AppException(ErrorCode.FORBIDDEN, HttpStatus.FORBIDDEN, message);
  }
  static notFound(code: ErrorCode = ErrorCode.NOT_FOUND) {
    return new AppException(code, HttpStatus.NOT_FOUND);
  }
  static conflict(code: ErrorCode, message?: string) {
    return new AppException(code, HttpStatus.CONFLICT, message);
  }
  /** 503 with `Retry-After`: the request was fine, the server could not take it now. */
  static busy(code: ErrorCode, retryAfterSeconds: number) {
    const exception = new AppException(code, HttpStatus.SERVICE_UNAVAILABLE);
    exception.retryAfterSeconds = retryAfterSeconds;
    return exception;
  }
}
