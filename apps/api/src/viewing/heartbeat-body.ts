import { HEARTBEAT_EVENTS, VIDEO_LIMITS, type HeartbeatEvent, type HeartbeatRequest } from '@qmfz/contracts';
import { notAnObject, validationFailed } from '../common/validation.js';

/** A signed viewing token is a few hundred bytes; anything far larger is not ours. */
export const TOKEN_MAX = 4096;
/** Two days of a player's clock: a session expires long before. */
export const CLIENT_TIME_MAX_MS = 48 * 3600 * 1000;
export const POSITION_MAX = VIDEO_LIMITS.durationMaxSeconds + 1;

const FIELDS = new Set(['sessionToken', 'position', 'clientTimeMs', 'event']);

/**
 * The heartbeat body, checked by hand rather than by the global ValidationPipe: this is the one hot route, and
 * class-transformer plus class-validator cost about a tenth of its time (docs/performance.md). The rules and the
 * wording are the pipe's: unknown fields refused, one problem per field, VALIDATION_FAILED with details.
 */
export function parseHeartbeat(body: unknown): HeartbeatRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw notAnObject();
  const fields = body as Record<string, unknown>;
  const problems: { field: string; message: string }[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });
  for (const field of Object.keys(fields)) if (!FIELDS.has(field)) problem(field, `${field} 不允许的字段`);

  const { sessionToken, position, clientTimeMs, event } = fields;
  if (typeof sessionToken !== 'string') problem('sessionToken', '观看会话必须是文本');
  else if (sessionToken.length > TOKEN_MAX) problem('sessionToken', '观看会话过长');
  if (typeof position !== 'number' || !Number.isFinite(position)) problem('position', '播放进度必须是数字');
  else if (position < 0) problem('position', '播放进度过小');
  else if (position > POSITION_MAX) problem('position', '播放进度过大');
  else if ((String(position).split('.')[1]?.length ?? 0) > 3) problem('position', '播放进度格式不正确');
  if (!Number.isInteger(clientTimeMs)) problem('clientTimeMs', '播放时钟必须是整数');
  else if ((clientTimeMs as number) < 0) problem('clientTimeMs', '播放时钟过小');
  else if ((clientTimeMs as number) > CLIENT_TIME_MAX_MS) problem('clientTimeMs', '播放时钟过大');
  if (!HEARTBEAT_EVENTS.includes(event as HeartbeatEvent)) problem('event', '播放事件取值不在允许范围内');

  if (problems.length > 0) throw validationFailed(problems);
  return { sessionToken: sessionToken as string, position: position as number, clientTimeMs: clientTimeMs as number, event: event as HeartbeatEvent };
}
