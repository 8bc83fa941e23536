import { Injectable, PipeTransform } from '@nestjs/common';
import { ErrorCode } from '@qmfz/contracts';
import { AppException } from './app-exception.js';
import { ULID_PATTERN } from './validation.js';

/** Route ids must look like our ids; anything else is a 404, not a database round trip. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !ULID_PATTERN.test(value)) throw AppException.notFound(ErrorCode.NOT_FOUND);
    return value;
  }
}
