// Shares (0.031) as people read them: a percentage ("3.1%") or percentage points ("3.1"), for the
// messages, pages and command output that speak of rates and their differences.

export function percent(share: number, digits = 0): string {
  return `${points(share, digits)}%`;
}

export function points(share: number, digits = 1): string {
  return (share * 100).toFixed(digits);
}
