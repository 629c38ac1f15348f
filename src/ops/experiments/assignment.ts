// Which arm of an experiment a user sees: decided by a hash of the experiment and the user, so the
// same user always gets the same arm on every instance and after every restart, with nothing stored,
// and a user's arm in one experiment says nothing about their arm in another. Only `share` of the
// users take part; the others see the current value and are not counted.
import { createHash } from 'node:crypto';

/** Where a user falls in an experiment: the arm's index, or undefined when outside its share. */
export function assignArm(experimentId: string, userId: number, arms: number, share: number): number | undefined {
  if (!Number.isInteger(arms) || arms < 2) throw new RangeError(`an experiment needs at least 2 arms, not ${arms}`);
  if (!(share > 0 && share <= 1)) throw new RangeError(`share ${share} is not in (0, 1]`);
  const position = unitHash(`${experimentId}\u0000${userId}`);
  if (position >= share) return undefined;
  return Math.min(arms - 1, Math.floor((position / share) * arms));
}

/** A number in [0, 1) that only `key` decides, spread evenly (the first 48 bits of its SHA-256). */
function unitHash(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) / 2 ** 48;
}
