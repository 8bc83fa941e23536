import { SignedLinks } from '../common/signed-links.js';

/** Links a player loads an uploaded video from, valid for its viewing session. */
export class StreamLinks extends SignedLinks {
  constructor(secret: string) {
    super(secret, 'qmfz video link v1', (videoId) => `/api/videos/${videoId}/stream`);
  }
}
