// Environment defaults for the tracing SDK inside an agent's process. The SDK itself takes
// options only (house rule: nothing outside src/config reads process.env); this is the one place
// that maps META_AGENT_URL / META_AGENT_API_KEY / META_AGENT_VERSIONS_DIR to those options.

export interface SdkEnv {
  /** Base URL of the meta-agent service (`META_AGENT_URL`), e.g. http://127.0.0.1:8080. */
  url?: string;
  /** API key sent as a bearer token (`META_AGENT_API_KEY`). */
  apiKey?: string;
  /** A checkout's versions directory getPrompt reads instead of the service (`META_AGENT_VERSIONS_DIR`). */
  versionsDir?: string;
}

/** Reads the SDK's environment defaults. Empty values count as unset. */
export function readSdkEnv(env: NodeJS.ProcessEnv = process.env): SdkEnv {
  const url = env["META_AGENT_URL"]?.trim();
  const apiKey = env["META_AGENT_API_KEY"]?.trim();
  const versionsDir = env["META_AGENT_VERSIONS_DIR"]?.trim();
  return { ...(url ? { url } : {}), ...(apiKey ? { apiKey } : {}), ...(versionsDir ? { versionsDir } : {}) };
}
