// The routes (and models) a sub-task can be given, and today's fixed rule among them.
import { ROUTES, armId, type RoutingArm } from "../../domain/routing-policy.js";

/** Every route with every configured model (`routing_models`), or with the signature's own model. */
export function configuredArms(models: readonly string[]): RoutingArm[] {
  const ms = models.length > 0 ? models : [null];
  return ROUTES.flatMap((route) => ms.map((model) => ({ id: armId(route, model), route, model })));
}

/** The fixed rule (before learning, and on a cold start): compute → engineer, anything else → worker, with the first model. */
export function fixedArm(intent: string, models: readonly string[]): RoutingArm {
  const route = intent.trim().toLowerCase() === "compute" ? "engineer" : "worker";
  const model = models[0] ?? null;
  return { id: armId(route, model), route, model };
}
