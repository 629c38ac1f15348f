// How hard the fault tests push: a short form inside `npm test`, the full form in `npm run test:faults`.
export const FULL = process.env.FAULT_SCALE === 'full';

export const faultScale = {
  /** SIGKILL/restart cycles of the crash test (the issue asks for at least 20 in the full run). */
  crashCycles: FULL ? 25 : 3,
  /** Updates pushed through a Bot API that fails at random. */
  chaosUpdates: FULL ? 400 : 60,
  /** fast-check runs per fuzz property. */
  fuzzRuns: FULL ? 2000 : 150,
  /** Updates, and chats they are spread over, sent to several instances behind a proxy (the issue: 10,000 over 1,000). */
  instanceUpdates: FULL ? 10_000 : 1_000,
  instanceChats: FULL ? 1_000 : 100,
} as const;
