import { Initial1764388800000 } from './1764388800000-initial.js';
import { VideoCampaigns1764907200000 } from './1764907200000-video-campaigns.js';
import { Tips1765065600000 } from './1765065600000-tips.js';

/** Every migration, in order. Listed explicitly so the build needs no glob loading. */
export const MIGRATIONS = [Initial1764388800000, VideoCampaigns1764907200000, Tips1765065600000];
