import { describe, expect, it } from "vitest";
import pg from "pg";
import { isConnectionError } from "./connection-errors.js";

describe("isConnectionError", () => {
  it("recognises a refused connection from a real pg client", async () => {
    // Port 1 on loopback is never a Postgres server: the connect is refused at once.
    const client = new pg.Client({ connectionString: "postgresql://x:y@127.0.0.1:1/db", connectionTimeoutMillis: 2_000 });
    const err = await client.connect().then(() => undefined, (e: unknown) => e);
    expect(isConnectionError(err)).toBe(true);
  });

  it("recognises connection SQLSTATEs, pg's plain messages and errors wrapped as a cause", () => {
    expect(isConnectionError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error("x"), { code: "08006" }))).toBe(true);
    expect(isConnectionError(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionError(new Error("driver failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) }))).toBe(true);
  });

  it("does not take query errors for connection errors", () => {
    expect(isConnectionError(Object.assign(new Error('relation "nope" does not exist'), { code: "42P01" }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error("duplicate key"), { code: "23505" }))).toBe(false);
    expect(isConnectionError(new Error("boom"))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
  });
});
