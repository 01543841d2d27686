// Fault injection for the fault suite: HTTP errors, 429 with Retry-After, hangs, garbage bodies
// and invalid completions, global or per family, from the bank or switched at runtime.
import type { Response } from "express";
import { FaultSpecSchema, type Bank, type FaultSpec, type FaultSpecInput } from "./bank.js";
import { wireError } from "./wire.js";

interface ActiveFault {
  id: number;
  spec: FaultSpec;
  /** Requests still to fail; undefined = until cleared. */
  remaining?: number;
  fromBank: boolean;
}

/** The faults in force. Runtime faults come first, so a test can override the bank. */
export class FaultState {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  /** Replaces the bank's faults (runtime faults stay). */
  loadBank(bank: Bank): void {
    this.faults = this.faults.filter((f) => !f.fromBank);
    for (const spec of bank.faults) this.push(spec, true);
    for (const family of bank.families) if (family.fault) this.push({ ...family.fault, family: family.id }, true);
  }

  /** Adds a runtime fault; returns its id. Validates like the bank does. */
  add(input: FaultSpecInput): number {
    return this.push(FaultSpecSchema.parse(input), false);
  }

  /** Removes runtime faults (bank faults stay unless `includeBank`). */
  clear(includeBank = false): void {
    this.faults = includeBank ? [] : this.faults.filter((f) => f.fromBank);
  }

  list(): FaultSpec[] {
    return this.faults.map((f) => ({ ...f.spec, ...(f.remaining !== undefined ? { times: f.remaining } : {}) }));
  }

  /** The fault hitting this request, consuming one of its `times`; undefined when none. */
  take(endpoint: "chat" | "embeddings", familyId: string | undefined): FaultSpec | undefined {
    const hit = [...this.faults.filter((f) => !f.fromBank), ...this.faults.filter((f) => f.fromBank)].find(
      (f) => (f.spec.endpoint === "any" || f.spec.endpoint === endpoint) && (f.spec.family === undefined || f.spec.family === familyId),
    );
    if (!hit) return undefined;
    if (hit.remaining !== undefined && --hit.remaining <= 0) this.faults = this.faults.filter((f) => f !== hit);
    return hit.spec;
  }

  private push(spec: FaultSpec, fromBank: boolean): number {
    const id = this.nextId++;
    this.faults.push({ id, spec, fromBank, ...(spec.times !== undefined ? { remaining: spec.times } : {}) });
    return id;
  }
}

/**
 * Answers the request with the fault. Returns true when the response is finished; for `hang` it
 * waits `hangMs` and returns false so the normal (late) answer follows, or true when the client
 * or the simulator gave up meanwhile.
 */
export async function applyFault(fault: FaultSpec, res: Response, signal: AbortSignal): Promise<boolean> {
  switch (fault.mode) {
    case "http_500":
      res.status(fault.status).json(wireError(`simulated server error (HTTP ${fault.status})`, "server_error"));
      return true;
    case "rate_limit":
      res.status(429).set("retry-after", String(fault.retryAfterSeconds)).json(wireError("simulated rate limit: slow down", "rate_limit_error", null, "rate_limit_exceeded"));
      return true;
    case "garbage":
      // A JSON content type with a body that is not JSON: the nastiest kind of garbage for a client.
      res.status(200).type("application/json").send('{"id": "chatcmpl-garbage", "choices": [<html>502 Bad Gateway</html>');
      return true;
    case "invalid_completion":
      res.status(200).json({ id: "chatcmpl-invalid", object: "chat.completion", created: 0, model: "simulator", choices: [] });
      return true;
    case "hang":
      // `signal` fires when the client gives up or the simulator closes.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.hangMs);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
      return signal.aborted;
  }
}
