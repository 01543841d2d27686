// Starts the HTTP server and stops it gracefully: stop accepting, drain in-flight requests,
// then force-close what is left after the grace period.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestListener } from "node:http";

export interface HttpServer {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(handler: RequestListener, host: string, port: number): Promise<HttpServer> {
  const server = createServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${shownHost}:${addr.port}`,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
