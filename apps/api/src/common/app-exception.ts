import { HttpStatus } from '@nestjs/common';
import { ERROR_MESSAGES, ErrorCode } from '@qmfz/contracts';

/** An expected failure: a stable code, an HTTP status and a Chinese message for people. */
export class AppException extends Error {
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
}
