import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Whether the database answers a trivial query right now. */
@Injectable()
export class DatabaseProbe {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  isReachable(): Promise<boolean> {
    return this.dataSource.query('SELECT 1').then(
      () => true,
      () => false,
    );
  }
}
