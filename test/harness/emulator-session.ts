/**
 * One emulator for a whole test file, and every `GrokClient` a test opens closed after that test, so the file
 * leaves no socket open behind it.
 */
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { GrokClient } from '../../src/grok/client.js'
import { startEmulator, type Emulator } from '../emulator/server.ts'

export interface EmulatorSession {
  /** The file's emulator (started before its first test). */
  readonly emulator: Emulator
  /** Closes `client` after the current test. */
  track<T extends GrokClient>(client: T): T
}

export function emulatorSession(): EmulatorSession {
  let emulator: Emulator | undefined
  const open: GrokClient[] = []
  beforeAll(async () => {
    emulator = await startEmulator()
  })
  afterAll(async () => {
    await emulator?.close()
  })
  afterEach(() => {
    for (const client of open.splice(0)) client.close()
  })
  return {
    get emulator() {
      if (!emulator) throw new Error('the emulator starts in beforeAll; use it inside a test or hook')
      return emulator
    },
    track(client) {
      open.push(client)
      return client
    },
  }
}
