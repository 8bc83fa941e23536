/**
 * Stable machine-readable error codes. Clients branch on `code`; people read `message`.
 * A code, once shipped, never changes meaning.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  MALFORMED_JSON: 'MALFORMED_JSON',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  DATABASE_UNAVAILABLE: 'DATABASE_UNAVAILABLE',

  AUTH_REQUIRED: 'AUTH_REQUIRED',
  AUTH_TOKEN_INVALID: 'AUTH_TOKEN_INVALID',
  AUTH_TOKEN_EXPIRED: 'AUTH_TOKEN_EXPIRED',
  AUTH_REFRESH_INVALID: 'AUTH_REFRESH_INVALID',
  AUTH_DEV_LOGIN_DISABLED: 'AUTH_DEV_LOGIN_DISABLED',
  FORBIDDEN: 'FORBIDDEN',

  WECHAT_CODE_INVALID: 'WECHAT_CODE_INVALID',
  WECHAT_RATE_LIMITED: 'WECHAT_RATE_LIMITED',
  WECHAT_UNAVAILABLE: 'WECHAT_UNAVAILABLE',

  TOWNSHIP_NOT_FOUND: 'TOWNSHIP_NOT_FOUND',
  UNIT_NOT_FOUND: 'UNIT_NOT_FOUND',
  UNIT_NAME_TAKEN: 'UNIT_NAME_TAKEN',
  INVITE_NOT_FOUND: 'INVITE_NOT_FOUND',
  INVITE_EXPIRED: 'INVITE_EXPIRED',
  MEMBERSHIP_EXISTS: 'MEMBERSHIP_EXISTS',
  MEMBERSHIP_NOT_FOUND: 'MEMBERSHIP_NOT_FOUND',
  MEMBERSHIP_NOT_PENDING: 'MEMBERSHIP_NOT_PENDING',
  ROLE_NOT_ALLOWED_FOR_UNIT: 'ROLE_NOT_ALLOWED_FOR_UNIT',
  ROSTER_FILE_INVALID: 'ROSTER_FILE_INVALID',
  ROSTER_TOO_MANY_ROWS: 'ROSTER_TOO_MANY_ROWS',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Default Chinese message per code; the server may send a more specific one. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: '提交的内容不符合要求',
  MALFORMED_JSON: '请求内容格式错误，无法解析',
  PAYLOAD_TOO_LARGE: '提交的内容过大',
  UNSUPPORTED_MEDIA_TYPE: '不支持的内容类型',
  NOT_FOUND: '请求的资源不存在',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  INTERNAL: '服务器开小差了，请稍后再试',
  DATABASE_UNAVAILABLE: '数据库暂时无法访问',

  AUTH_REQUIRED: '请先登录',
  AUTH_TOKEN_INVALID: '登录凭证无效，请重新登录',
  AUTH_TOKEN_EXPIRED: '登录已过期，请重新登录',
  AUTH_REFRESH_INVALID: '登录状态已失效，请重新登录',
  AUTH_DEV_LOGIN_DISABLED: '演示登录未开启',
  FORBIDDEN: '没有权限执行此操作',

  WECHAT_CODE_INVALID: '微信登录凭证无效或已使用，请重试',
  WECHAT_RATE_LIMITED: '微信接口调用过于频繁，请稍后再试',
  WECHAT_UNAVAILABLE: '暂时无法连接微信服务，请稍后再试',

  TOWNSHIP_NOT_FOUND: '乡镇不存在',
  UNIT_NOT_FOUND: '单位不存在',
  UNIT_NAME_TAKEN: '该乡镇已有同名单位',
  INVITE_NOT_FOUND: '邀请码不存在或已撤销',
  INVITE_EXPIRED: '邀请码已过期',
  MEMBERSHIP_EXISTS: '您已加入或已申请加入该单位',
  MEMBERSHIP_NOT_FOUND: '成员不存在',
  MEMBERSHIP_NOT_PENDING: '该申请已处理',
  ROLE_NOT_ALLOWED_FOR_UNIT: '该单位不能设置此角色',
  ROSTER_FILE_INVALID: '名册文件无法读取，请上传 CSV 或 XLSX 文件',
  ROSTER_TOO_MANY_ROWS: '名册行数超出上限',
};

/** Body of every error response. */
export interface ErrorResponse {
  code: ErrorCode;
  message: string;
  requestId: string;
  /** Per-field problems for VALIDATION_FAILED. */
  details?: { field: string; message: string }[];
}
