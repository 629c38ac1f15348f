// Where updates come from, as the configuration says: UPDATE_REMOTE/UPDATE_BRANCH, or the latest
// GitHub release of GITHUB_REPOSITORY. Shared by `omnicore update` and the running server.
import type { Config } from '../../config/env.js';
import type { UpdateSource } from '../update/update-check.js';

export function updateSource(
  config: Pick<Config, 'UPDATE_REMOTE' | 'UPDATE_BRANCH' | 'GITHUB_REPOSITORY' | 'GITHUB_API_ROOT' | 'GITHUB_TOKEN'>,
): UpdateSource {
  return {
    remote: config.UPDATE_REMOTE,
    branch: config.UPDATE_BRANCH,
    github: config.GITHUB_REPOSITORY
      ? { repository: config.GITHUB_REPOSITORY, apiRoot: config.GITHUB_API_ROOT, token: config.GITHUB_TOKEN }
      : undefined,
  };
}
