import { describe, expect, it, jest } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ErrorCode } from '@qmfz/contracts';
import { AppException } from './app-exception.js';
import { AllExceptionsFilter } from './exception.filter.js';

function hostCapturing(sent: { status?: number; body?: unknown; headers?: Record<string, string> }): ArgumentsHost {
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers = { ...sent.headers, [name]: value };
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
    },
  };
  return { switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }) } as unknown as ArgumentsHost;
}

describe('AllExceptionsFilter', () => {
  it('should answer an unexpected error with INTERNAL and no internals', () => {
    const sent: { status?: number; body?: unknown } = {};
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    new AllExceptionsFilter().catch(new Error('connect ECONNREFUSED 10.0.0.5:3306'), hostCapturing(sent));
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({ code: 'INTERNAL', message: '服务器开小差了，请稍后再试', requestId: 'req-1' });
  });

  it('should not log the values a database error quotes, such as an openid or a phone number', () => {
    const logged: unknown[] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((entry: unknown) => void logged.push(entry));
    const error = new Error("Duplicate entry 'oAbCdEfG-openid-13812345678' for key 'uq_users_openid'");
    error.name = 'QueryFailedError';
    new AllExceptionsFilter().catch(error, hostCapturing({}));
    const text = JSON.stringify(logged);
    expect(text).toContain('QueryFailedError');
    expect(text).toContain('Duplicate entry');
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('oAbCdEfG');
  });

  it('should answer a busy server with 503, its code, and when to retry', () => {
    const sent: { status?: number; body?: unknown; headers?: Record<string, string> } = {};
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    new AllExceptionsFilter().catch(AppException.busy(ErrorCode.TIP_BUSY, 2), hostCapturing(sent));
    expect(sent.status).toBe(503);
    expect(sent.body).toEqual({ code: 'TIP_BUSY', message: '提交的人较多，请稍后重试', requestId: 'req-1' });
    expect(sent.headers).toMatchObject({ 'retry-after': '2', 'x-request-id': 'req-1' });
  });
});
