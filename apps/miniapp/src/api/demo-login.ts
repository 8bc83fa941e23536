import type { DevLoginRequest, TokenResponse } from '@qmfz/contracts'

import { AUTH_TIMEOUT_MS, session } from './session'
import { send } from './transport'

/**
 * The demo login: sign in as any role of any unit. Only the demo subpackage imports this module, and that
 * subpackage exists only in demo builds, so production bundles never contain it. The server refuses it anyway
 * unless DEV_LOGIN is on, which production forbids.
 */
export function demoLogin(request: DevLoginRequest): Promise<void> {
  return session.signInWith(() => send<TokenResponse>({ method: 'POST', path: '/auth/dev-login', body: request, timeoutMs: AUTH_TIMEOUT_MS }))
}
