import type { HeartbeatEvent, HeartbeatRequest, StartViewingResponse } from '@qmfz/contracts';
import type { TestApp, TestResponse } from '../harness.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One device playing a campaign's video, as the mini-program's player does: it starts a session, keeps the newest
 * session token and sends heartbeats with its own clock. Tests choose positions and clock values, or let
 * `watchToEnd` play honestly at the fastest rate the player offers.
 */
export class Player {
  sessionToken = '';
  session?: StartViewingResponse;
  /** The player clock of the last heartbeat the server accepted. */
  clientMs = -1;

  constructor(
    private readonly t: TestApp,
    readonly campaignId: string,
    readonly authToken: string,
  ) {}

  async start(): Promise<TestResponse> {
    const response = await this.t.request({ method: 'POST', url: `/api/viewing/campaigns/${this.campaignId}/sessions`, token: this.authToken });
    if (response.status === 201) {
      this.session = response.body;
      this.sessionToken = response.body.sessionToken;
      this.clientMs = -1;
    }
    return response;
  }

  /** Sends one heartbeat; an accepted one (200) replaces the session token, as the player does. */
  async beat(
    position: number,
    clientTimeMs: number,
    event: HeartbeatEvent = 'tick',
    options: { sessionToken?: string; campaignId?: string; authToken?: string } = {},
  ): Promise<TestResponse> {
    const body: HeartbeatRequest = { sessionToken: options.sessionToken ?? this.sessionToken, position, clientTimeMs, event };
    const response = await this.send(body, options);
    if (response.status === 200 && options.sessionToken === undefined) {
      this.sessionToken = response.body.sessionToken;
      this.clientMs = clientTimeMs;
    }
    return response;
  }

  /** Any body, as is (for bad input); the token is not replaced. */
  send(body: unknown, options: { campaignId?: string; authToken?: string } = {}): Promise<TestResponse> {
    return this.t.request({
      method: 'POST',
      url: `/api/viewing/campaigns/${options.campaignId ?? this.campaignId}/heartbeats`,
      token: options.authToken ?? this.authToken,
      body,
    });
  }

  /**
   * Plays from `from` to the end at twice the speed by the real clock (the fastest the player offers), a heartbeat
   * every `everyMs`, and returns the reply to the final `ended`.
   */
  async watchToEnd(durationSeconds: number, from = 0, everyMs = 400): Promise<TestResponse> {
    const base = this.clientMs + 1;
    const startedAt = performance.now();
    const first = await this.beat(from, base, 'play');
    if (first.status !== 200) return first;
    for (;;) {
      await sleep(everyMs);
      const elapsed = Math.round(performance.now() - startedAt);
      const position = Math.min(durationSeconds, round3(from + (2 * elapsed) / 1000));
      const ended = position >= durationSeconds;
      const response = await this.beat(position, base + elapsed, ended ? 'ended' : 'tick');
      if (response.status !== 200 || ended) return response;
    }
  }
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
