// Where the service may listen. Without API keys every request acts for the `default` tenant,
// so the service must not be reachable from other machines: a non-loopback HOST is replaced by
// 127.0.0.1 with a warning until a key exists.
import { isIP } from "node:net";
import type { Logger } from "../log/logger.js";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** True for localhost, 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  return isIP(h) === 4 && h.startsWith("127.");
}

/** The host to bind: the configured one, or 127.0.0.1 when it is public and no key exists. */
export function resolveBindHost(configured: string, hasKeys: boolean, logger: Logger): string {
  if (hasKeys || isLoopbackHost(configured)) return configured;
  logger.warn(
    { name: "bind-host-overridden", configured, bound: "127.0.0.1" },
    `HOST=${configured} ignored: no API keys exist, so the service only listens on 127.0.0.1. Create one with \`meta-agent keys create --tenant NAME\` to serve other hosts.`,
  );
  return "127.0.0.1";
}
