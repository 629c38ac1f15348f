// Waits for work for at most `ms`: work that never settles must not hold up whoever waits for it.
// The work itself is not stopped (a promise cannot be); its late result is ignored.
export async function withinDeadline<T>(work: T | Promise<T>, ms: number, expired: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
