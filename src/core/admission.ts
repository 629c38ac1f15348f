// The contract between the update intake (bot/) and whoever judges updates as they arrive (the
// security layer in ops/): decided here, below both, so that neither imports the other.
import type { Update } from 'grammy/types';

export type AdmissionVerdict = { admitted: true } | { admitted: false; reason: string };

/** Judges an update as it arrives; never rejects (an error in judging admits). */
export type Admit = (update: Update) => Promise<AdmissionVerdict>;
