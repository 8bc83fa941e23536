import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, LessThan, MoreThan, Repository } from 'typeorm';
import { TipAttachmentEntity } from '../database/entities/index.js';

/** Rows of tip images: uploads, their claim by a tip, the retention of unclaimed ones, signed-link lookups. */
@Injectable()
export class TipAttachmentsRepository {
  private readonly attachments: Repository<TipAttachmentEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.attachments = dataSource.getRepository(TipAttachmentEntity);
  }

  async insert(attachment: TipAttachmentEntity): Promise<void> {
    await this.attachments.insert(attachment);
  }

  /** For signed links, which carry no township: the signature already names the attachment. */
  findById(id: string): Promise<TipAttachmentEntity | null> {
    return this.attachments.findOneBy({ id });
  }

  /** How many of the ids are the uploader's own unclaimed uploads of the township, made after `after`. */
  countClaimable(townshipId: string, ids: string[], uploaderHash: string, after: Date): Promise<number> {
    if (!ids.length) return Promise.resolve(0);
    return this.attachments.countBy({ id: In(ids), townshipId, tipId: IsNull(), uploaderHash, createdAt: MoreThan(after) });
  }

  /** Uploads no tip claimed, made before `before`, oldest first. */
  listUnclaimedBefore(before: Date, limit: number): Promise<TipAttachmentEntity[]> {
    return this.attachments.find({ where: { tipId: IsNull(), createdAt: LessThan(before) }, order: { createdAt: 'ASC' }, take: limit });
  }

  /** Deletes the row if it is still unclaimed; false when a tip claimed it meanwhile (its file must then stay). */
  async deleteUnclaimed(id: string): Promise<boolean> {
    const result = await this.attachments.delete({ id, tipId: IsNull() });
    return result.affected === 1;
  }
}
