// A byte count as refusals name it: exact, so a caller can compare, and in MiB too when that reads better.
const MIB = 2 ** 20;

export function byteSize(bytes: number): string {
  if (bytes < MIB) return `${bytes} bytes`;
  const mib = bytes / MIB;
  return `${bytes} bytes (${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB)`;
}
