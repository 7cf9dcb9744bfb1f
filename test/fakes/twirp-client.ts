// A bare Twirp JSON call to the fake results service, for tests that check its wire protocol directly.

import type { ResultsServiceFake } from './results-service.ts'

export interface TwirpReply {
  status: number
  json: Record<string, unknown>
}

export async function callTwirp(
  fake: ResultsServiceFake,
  service: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<TwirpReply> {
  const response = await fetch(`${fake.origin}/twirp/${service}/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${fake.env.ACTIONS_RUNTIME_TOKEN}`,
      ...headers,
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}
