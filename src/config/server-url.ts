// Where a process on this machine reaches the server of a given HOST and PORT: the server itself
// (its own emulator, its own chat) and the CLI (omnicore chat, the database check) both ask.

export function localServerUrl(host: string, port: number): string {
  const reachable = ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
