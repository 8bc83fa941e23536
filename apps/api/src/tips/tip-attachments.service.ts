import { HttpStatus, Injectable } from '@nestjs/common';
import type { Multipart } from '@fastify/multipart';
import { ErrorCode, TIP_LIMITS, TIP_UPLOAD, type TipAttachmentResponse, type TipImageType } from '@qmfz/contracts';
import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { uploadFailure } from '../common/upload-errors.js';
import { ULID_PATTERN } from '../common/validation.js';
import { CryptoService } from '../crypto/crypto.service.js';
import type { TipAttachmentEntity } from '../database/entities/index.js';
import { cleanImage } from './images/image.js';
import { TipAttachmentsRepository } from './tip-attachments.repository.js';
import { TipFileStorage } from './tip-files.js';
import { TipImageLinks } from './tip-image-links.js';
import { toAttachmentResponse } from './tips.dto.js';

/** How long an upload waits for a tip to claim it before the retention job deletes it. */
export const UNCLAIMED_UPLOAD_MS = TIP_UPLOAD.unclaimedHours * 3600_000;

/** Limits handed to the multipart parser: one file of at most the image limit, no text fields. */
export const UPLOAD_LIMITS = { fileSize: TIP_LIMITS.imageMaxBytes, files: 1, fields: 0, parts: 1 };

/** Who uploaded an image not yet claimed by a tip: a keyed hash of the user, never their id. */
export function uploaderHash(crypto: CryptoService, userId: string): string {
  return crypto.blindIndex('tip-uploader', userId);
}

const invalid = (message?: string) => AppException.badRequest(ErrorCode.TIP_ATTACHMENT_INVALID, message);
const linkInvalid = (status: HttpStatus) => new AppException(ErrorCode.TIP_ATTACHMENT_LINK_INVALID, status);

/** Tip images: uploaded by residents before they submit, served to police through signed links. */
@Injectable()
export class TipAttachmentsService {
  constructor(
    private readonly attachments: TipAttachmentsRepository,
    private readonly files: TipFileStorage,
    private readonly links: TipImageLinks,
    private readonly crypto: CryptoService,
  ) {}

  /**
   * Reads one image (never more than the size limit into memory), checks it by its bytes, strips its metadata and
   * keeps it privately until a tip claims it. A refused upload leaves no file and no row.
   */
  async upload(actor: Actor, parts: AsyncIterableIterator<Multipart>): Promise<TipAttachmentResponse> {
    let bytes: Buffer | undefined;
    try {
      for await (const part of parts) {
        if (part.type !== 'file' || part.fieldname !== TIP_UPLOAD.field || bytes) {
          if (part.type === 'file') part.file.resume();
          throw invalid(`请在表单字段 ${TIP_UPLOAD.field} 中上传一张图片`);
        }
        bytes = await readWhole(part.file);
      }
    } catch (error) {
      throw uploadRefusal(error);
    }
    if (!bytes?.length) throw invalid();
    const image = cleanImage(bytes);
    if (!image) throw invalid();
    const attachment: TipAttachmentEntity = {
      id: newId(),
      townshipId: actor.townshipId,
      tipId: null,
      uploaderHash: uploaderHash(this.crypto, actor.userId),
      storageKey: await this.files.store(image.bytes),
      contentType: image.type,
      sizeBytes: image.bytes.length,
      width: image.width,
      height: image.height,
      position: 0,
      createdAt: new Date(),
    };
    try {
      await this.attachments.insert(attachment);
    } catch (error) {
      await this.files.remove(attachment.storageKey);
      throw error;
    }
    return toAttachmentResponse(attachment);
  }

  /** An image's bytes for a signed link: 403 for a bad or expired signature, 404 for an image that is gone. */
  async content(attachmentId: string, exp: string | undefined, sig: string | undefined): Promise<{ type: TipImageType; size: number; body: ReadStream }> {
    if (!ULID_PATTERN.test(attachmentId)) throw linkInvalid(HttpStatus.NOT_FOUND);
    if (!this.links.isValid(attachmentId, exp, sig, Date.now())) throw linkInvalid(HttpStatus.FORBIDDEN);
    const attachment = await this.attachments.findById(attachmentId);
    const size = attachment ? await this.files.size(attachment.storageKey) : null;
    if (!attachment || size === null) throw linkInvalid(HttpStatus.NOT_FOUND);
    return { type: attachment.contentType, size, body: this.files.read(attachment.storageKey) };
  }
}

/** The whole file part; the parser stops it at the size limit, so at most that much is ever held. */
async function readWhole(file: Readable & { truncated?: boolean }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(chunk as Buffer);
  if (file.truncated) throw new AppException(ErrorCode.TIP_ATTACHMENT_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE);
  return Buffer.concat(chunks);
}

/** The multipart parser's refusals in the tips' own codes. */
function uploadRefusal(error: unknown): unknown {
  const code = (error as { code?: string })?.code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new AppException(ErrorCode.TIP_ATTACHMENT_TOO_LARGE, HttpStatus.PAYLOAD_TOO_LARGE);
  if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') return invalid('一次只能上传一张图片，且不能附带其他字段');
  return uploadFailure(error, ErrorCode.TIP_ATTACHMENT_INVALID, '上传内容不完整或格式错误，请重新上传图片');
}
