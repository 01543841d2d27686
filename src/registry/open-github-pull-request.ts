// Opens a pull request through the GitHub REST API (POST /repos/{owner}/{repo}/pulls).
import { z } from "zod";
import { AppError } from "../errors.js";

export interface GitHubSettings {
  token: string;
  /** owner/name */
  repository: string;
  /** API base URL. Default https://api.github.com. */
  apiUrl?: string;
  /** Injectable fetch (tests). Default: global fetch. */
  fetch?: typeof fetch;
}

export interface PullRequestRequest {
  title: string;
  body: string;
  head: string;
  base: string;
}

const ResponseSchema = z.object({ number: z.number(), html_url: z.string() });

/** Opens the pull request; resolves with its number and URL, or throws an AppError with GitHub's message. */
export async function openGitHubPullRequest(settings: GitHubSettings, pr: PullRequestRequest): Promise<{ number: number; url: string }> {
  const base = (settings.apiUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const res = await (settings.fetch ?? fetch)(`${base}/repos/${settings.repository}/pulls`, {
    method: "POST",
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${settings.token}`,
      "content-type": "application/json",
      "user-agent": "meta-agent",
      "x-github-api-version": "2022-11-28",
    },
    body: JSON.stringify(pr),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new AppError("github_pull_request_failed", `GitHub refused the pull request (${res.status}): ${text.slice(0, 500)}`, { status: 502, isRetryable: res.status >= 500 });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ResponseSchema.safeParse(json);
  if (!parsed.success) throw new AppError("github_pull_request_failed", `Unexpected GitHub response: ${text.slice(0, 200)}`, { status: 502 });
  return { number: parsed.data.number, url: parsed.data.html_url };
}
