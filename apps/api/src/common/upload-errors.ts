import type { ErrorCode } from '@qmfz/contracts';
import { AppException } from './app-exception.js';

/**
 * An error met while reading a multipart upload, as the client should see it. Errors @fastify/multipart gives a
 * status (406, 413, 415), our own and disk errors pass on; the parser's own errors on a broken body (cut off, no
 * boundary) carry none and would become 500s, so they are the client's 400 with the given code and message.
 */
export function uploadFailure(error: unknown, code: ErrorCode, message: string): unknown {
  const known = error instanceof AppException || typeof (error as { statusCode?: unknown })?.statusCode === 'number';
  if (known || (error as NodeJS.ErrnoException)?.syscall) return error;
  return AppException.badRequest(code, message);
}
