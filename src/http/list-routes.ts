// Lists the routes an express application answers, read from its router: what the tests of
// authentication and hostile input enumerate, so a route added later is covered without
// editing them. Routers must be mounted at the root (every router of the service is).
import type { Express } from "express";

export interface RouteInfo {
  method: string;
  /** The route's path pattern, e.g. `/v1/traces/:id`. */
  path: string;
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  slash?: boolean;
}

/** Every (method, path) pair registered on `app`, in registration order. */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== "_all") out.push({ method: method.toUpperCase(), path });
        }
      } else if (layer.handle?.stack) {
        // A router under a sub-path would need its mount path, which express does not keep.
        if (layer.slash === false) throw new Error("listRoutes: a router is mounted under a sub-path; mount routers at the root so their routes can be listed");
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}
