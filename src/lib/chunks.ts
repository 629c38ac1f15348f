// Splits rows into groups small enough for one statement (databases cap the bound parameters).
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const groups: T[][] = [];
  for (let start = 0; start < items.length; start += size) groups.push(items.slice(start, start + size));
  return groups;
}
