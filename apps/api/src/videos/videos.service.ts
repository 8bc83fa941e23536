import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ErrorCode, VIDEO_LIMITS, VIDEO_UPLOAD_FIELDS, VideoSource, type VideoResponse } from '@qmfz/contracts';
import type { Multipart } from '@fastify/multipart';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import { newId } from '../common/ids.js';
import { uploadFailure } from '../common/upload-errors.js';
import { createValidationPipe } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { VideoEntity } from '../database/entities/index.js';
import { readDurationSeconds, sniffVideoType } from './video-file.js';
import { StreamLinks } from './stream-links.js';
import { VideoStorage, type PendingFile } from './video-storage.js';
import type { ReadStream } from 'node:fs';
import { CreateExternalVideoDto, toVideoResponse, UploadVideoFieldsDto } from './videos.dto.js';
import { VideosRepository } from './videos.repository.js';

const EXTENSIONS: Record<string, string> = { 'video/mp4': 'mp4', 'video/webm': 'webm' };

/** Videos of a township: uploads kept by the API, or external links. Township admins only (checked by the routes). */
@Injectable()
export class VideosService {
  private readonly fieldsPipe = createValidationPipe();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly videos: VideosRepository,
    private readonly storage: VideoStorage,
    private readonly links: StreamLinks,
  ) {}

  async list(actor: Actor): Promise<VideoResponse[]> {
    return (await this.videos.listInTownship(actor.townshipId)).map(toVideoResponse);
  }

  async createExternal(actor: Actor, body: CreateExternalVideoDto): Promise<VideoResponse> {
    const video = this.newVideo(actor, body.title, body.durationSeconds * 1000);
    video.source = VideoSource.URL;
    video.url = body.url;
    video.sizeBytes = body.sizeBytes ?? null;
    await this.videos.insert(video);
    return toVideoResponse(video);
  }

  /**
   * Reads a multipart upload: the file goes to disk as it arrives, then is checked by its bytes. A refused upload
   * leaves no file and no row behind.
   */
  async upload(actor: Actor, parts: AsyncIterableIterator<Multipart>): Promise<VideoResponse> {
    const fields: Record<string, unknown> = {};
    let file: PendingFile | undefined;
    try {
      try {
        for await (const part of parts) {
          if (part.type === 'file') {
            if (part.fieldname !== VIDEO_UPLOAD_FIELDS.file || file) {
              part.file.resume();
              throw AppException.badRequest(ErrorCode.VIDEO_FILE_INVALID, `请在表单字段 ${VIDEO_UPLOAD_FIELDS.file} 中上传一个视频文件`);
            }
            file = await this.storage.receive(part.file);
          } else {
            fields[part.fieldname] = numericField(part.fieldname, part.value);
          }
        }
      } catch (error) {
        throw uploadFailure(error, ErrorCode.VIDEO_FILE_INVALID, '上传内容不完整或格式错误，请重新上传视频');
      }
      const { title, durationSeconds } = (await this.fieldsPipe.transform(fields, { type: 'body', metatype: UploadVideoFieldsDto })) as UploadVideoFieldsDto;
      if (!file || file.sizeBytes === 0) throw AppException.badRequest(ErrorCode.VIDEO_FILE_INVALID);
      const contentType = sniffVideoType(file.head);
      if (!contentType) throw AppException.badRequest(ErrorCode.VIDEO_FILE_INVALID);
      const fromFile = await readDurationSeconds(file.path, contentType);
      const seconds = fromFile ?? durationSeconds;
      if (!seconds) throw AppException.badRequest(ErrorCode.VIDEO_DURATION_REQUIRED);
      if (seconds > VIDEO_LIMITS.durationMaxSeconds) throw AppException.badRequest(ErrorCode.VIDEO_FILE_INVALID, '视频时长超过 3 小时，请上传更短的视频');

      const video = this.newVideo(actor, title, Math.round(seconds * 1000));
      video.contentType = contentType;
      video.sizeBytes = file.sizeBytes;
      video.storageKey = await this.storage.keep(file, EXTENSIONS[contentType]);
      file = undefined;
      await this.videos.insert(video).catch(async (error) => {
        await this.storage.remove(video.storageKey!);
        throw error;
      });
      return toVideoResponse(video);
    } finally {
      if (file) await this.storage.discard(file);
    }
  }

  private newVideo(actor: Actor, title: string, durationMs: number): VideoEntity {
    return {
      id: newId(),
      townshipId: actor.townshipId,
      title,
      source: VideoSource.UPLOAD,
      url: null,
      storageKey: null,
      contentType: null,
      sizeBytes: null,
      durationMs,
      createdBy: actor.userId,
      createdAt: new Date(),
    };
  }

  get maxUploadBytes(): number {
    return this.config.videos.maxBytes;
  }

  /** An uploaded video's bytes for a signed link, whole or one `Range`. */
  async stream(videoId: string, exp: string | undefined, sig: string | undefined, range: string | undefined): Promise<VideoStream> {
    if (!this.links.isValid(videoId, exp, sig, Date.now())) {
      throw new AppException(ErrorCode.VIDEO_LINK_INVALID, HttpStatus.FORBIDDEN);
    }
    const video = await this.videos.findById(videoId);
    const size = video?.storageKey ? await this.storage.size(video.storageKey) : null;
    if (!video?.storageKey || size === null) throw AppException.notFound(ErrorCode.VIDEO_NOT_FOUND);
    const type = video.contentType ?? 'application/octet-stream';
    // RFC 9110 §14.2: a Range in a unit other than bytes must be ignored, and several ranges (not served here) may be.
    if (!range || !/^\s*bytes=[^,]*$/.test(range)) return { status: 200, type, size, length: size, body: this.storage.read(video.storageKey) };
    const wanted = parseRange(range, size);
    if (!wanted) return { status: 416, type, size, length: 0, body: null };
    return { status: 206, type, size, length: wanted.end - wanted.start + 1, range: wanted, body: this.storage.read(video.storageKey, wanted) };
  }
}

/** Multipart fields are text; a whole number in `durationSeconds` is read as one so the DTO checks it as a number. */
function numericField(name: string, value: unknown): unknown {
  if (name === VIDEO_UPLOAD_FIELDS.durationSeconds && typeof value === 'string' && /^\d{1,9}$/.test(value.trim())) return Number(value.trim());
  if (name === VIDEO_UPLOAD_FIELDS.durationSeconds && value === '') return undefined;
  return value;
}

export interface VideoStream {
  status: 200 | 206 | 416;
  type: string;
  size: number;
  length: number;
  range?: { start: number; end: number };
  body: ReadStream | null;
}

/** One `bytes=` range (RFC 9110 §14.1.2), including suffix and open-ended forms; null when unsatisfiable or several. */
export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '') || size === 0) return null;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : null;
}
