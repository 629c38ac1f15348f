// The latest release of a GitHub repository (`GET /repos/{owner}/{repo}/releases/latest`), for an
// install that follows releases rather than a branch: its tag is what `update` targets.
import { z } from 'zod';
import { OmniError } from '../../errors.js';

const releaseSchema = z.object({
  tag_name: z.string().min(1),
  name: z.string().nullable().optional(),
  html_url: z.string().optional(),
  published_at: z.string().nullable().optional(),
});

export type GithubRelease = z.infer<typeof releaseSchema>;

export interface GithubReleaseOptions {
  repository: string;
  apiRoot?: string | undefined;
  token?: string | undefined;
}

export async function latestRelease(options: GithubReleaseOptions): Promise<GithubRelease> {
  if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
    throw new OmniError('UPDATE_SOURCE_FAILED', `GITHUB_REPOSITORY "${options.repository}" is not owner/name`);
  }
  const root = options.apiRoot ?? 'https://api.github.com';
  const response = await fetch(`${root}/repos/${options.repository}/releases/latest`, {
    headers: {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    signal: AbortSignal.timeout(15_000),
  }).catch((error: unknown) => {
    throw new OmniError('UPDATE_SOURCE_FAILED', `GitHub did not answer (${(error as Error).message})`);
  });
  if (!response.ok) throw new OmniError('UPDATE_SOURCE_FAILED', `GitHub answered ${response.status}`);
  const parsed = releaseSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new OmniError('UPDATE_SOURCE_FAILED', 'the release is not in the shape expected');
  return parsed.data;
}
