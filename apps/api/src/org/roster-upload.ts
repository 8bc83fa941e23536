import type { MultipartFile } from '@fastify/multipart';
import { ErrorCode } from '@qmfz/contracts';
import type { FastifyRequest } from 'fastify';
import { AppException } from '../common/app-exception.js';
import { uploadFailure } from '../common/upload-errors.js';

export const ROSTER_FILE_FIELD = 'file';

/**
 * The bytes of the one uploaded file of a multipart request. A body that is not multipart is a 415 and a file
 * over LIMITS.rosterMaxBytes a 413 (both raised by @fastify/multipart and mapped by the global filter).
 */
export async function readUploadedFile(request: FastifyRequest): Promise<Buffer> {
  const part: MultipartFile | undefined = await request.file().catch(rethrowMalformed);
  if (!part || part.fieldname !== ROSTER_FILE_FIELD) {
    throw AppException.badRequest(ErrorCode.ROSTER_FILE_INVALID, `请在表单字段 ${ROSTER_FILE_FIELD} 中上传名册文件`);
  }
  return part.toBuffer().catch(rethrowMalformed);
}

function rethrowMalformed(error: unknown): never {
  throw uploadFailure(error, ErrorCode.ROSTER_FILE_INVALID, '上传内容不完整或格式错误，请重新上传名册文件');
}
