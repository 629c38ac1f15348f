// A GET that counts as healthy on any 2xx answer. The error names the status and host, never the
// credentials sent, and the body is not read: a health check needs the verdict, not the data.
export async function probe(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal });
  await response.body?.cancel();
  if (!response.ok) {
    throw new Error(`${new URL(url).host} answered HTTP ${response.status}${statusHint(response.status)}`);
  }
}

function statusHint(status: number): string {
  if (status === 401 || status === 403) return ' (credentials refused)';
  if (status === 429) return ' (rate limited)';
  return '';
}
