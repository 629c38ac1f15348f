// Keeps V8's young generation small while the platform starts. Start-up allocates mostly objects
// that live for good (compiled modules, the trained conversation model), so each collection finds
// most of the young generation alive and V8 doubles it, up to 2 × 16 MiB; it gives that back only
// at a collection in a quiet moment, which an idle server may not reach for minutes. Held at its
// first size, start-up's objects move to the old generation at once, where they belong; growth is
// allowed again once the platform is ready, so that traffic grows the young generation as before.
import { setFlagsFromString } from 'node:v8';

/** V8's own default. */
const GROWTH_FACTOR = 2;

/** An operator who tunes the young generation with Node's flags keeps their setting. */
function tunedByOperator(): boolean {
  return /semi[-_]space/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '));
}

/** Before the platform's modules load: growth off. */
export function holdYoungGeneration(): void {
  if (!tunedByOperator()) setFlagsFromString('--semi-space-growth-factor=1');
}

/** Once the platform is ready: growth as V8 does it by default. */
export function releaseYoungGeneration(): void {
  if (!tunedByOperator()) setFlagsFromString(`--semi-space-growth-factor=${GROWTH_FACTOR}`);
}
