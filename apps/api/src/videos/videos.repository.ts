import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, Repository } from 'typeorm';
import { VideoEntity } from '../database/entities/index.js';

@Injectable()
export class VideosRepository {
  private readonly videos: Repository<VideoEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.videos = dataSource.getRepository(VideoEntity);
  }

  listInTownship(townshipId: string): Promise<VideoEntity[]> {
    return this.videos.find({ where: { townshipId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  findInTownship(townshipId: string, id: string): Promise<VideoEntity | null> {
    return this.videos.findOneBy({ townshipId, id });
  }

  findManyInTownship(townshipId: string, ids: string[]): Promise<VideoEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.videos.findBy({ townshipId, id: In(ids) });
  }

  /** For signed stream links, which carry no township: the signature already names the video. */
  findById(id: string): Promise<VideoEntity | null> {
    return this.videos.findOneBy({ id });
  }

  async insert(video: VideoEntity): Promise<void> {
    await this.videos.insert(video);
  }
}
