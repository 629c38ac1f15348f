// A local stand-in for GitHub's REST API, answering `GET /repos/{owner}/{repo}/releases/latest` as
// GitHub does, and recording the requests (to check the token and API version headers).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { closeServer, listenLocally } from './local-server.js';

export interface FakeGithub {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  /** The latest release per `owner/repo`; absent: 404 as GitHub answers a repository without releases. */
  latest: Map<string, { tag_name: string; name: string }>;
  close(): Promise<void>;
}

export async function startFakeGithub(): Promise<FakeGithub> {
  const requests: FakeGithub['requests'] = [];
  const latest: FakeGithub['latest'] = new Map();
  const server: Server = createServer((request, response) => {
    requests.push({ path: request.url ?? '', headers: request.headers });
    const match = /^\/repos\/([^/]+\/[^/]+)\/releases\/latest$/.exec(request.url ?? '');
    const release = match ? latest.get(match[1] as string) : undefined;
    response.writeHead(release ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        release
          ? {
              ...release,
              html_url: `https://github.com/${match?.[1]}/releases/tag/${release.tag_name}`,
              published_at: new Date().toISOString(),
            }
          : {
              message: 'Not Found',
              documentation_url: 'https://docs.github.com/rest/releases/releases#get-the-latest-release',
            },
      ),
    );
  });
  const url = await listenLocally(server);
  return { url, requests, latest, close: () => closeServer(server) };
}
