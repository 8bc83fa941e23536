import type { DevLoginRequest, TokenResponse } from '@qmfz/contracts'

import { session } from './session'
import { send } from './transport'

/**
 * The demo login: sign in as any role of any unit. Only the demo subpackage imports this module, and that
 * subpackage exists only in demo builds, so production bundles never contain it. The server refuses it anyway
 * unless DEV_LOGIN is on, which production forbids.
 */
export async function demoLogin(request: DevLoginRequest): Promise<void> {
  // Switching demo identities: end the previous login on the server too, not only on this device.
  await session.signOut()
  session.adopt(await send<TokenResponse>({ method: 'POST', path: '/auth/dev-login', body: request, timeoutMs: 10_000 }))
}
