import { describe, it, expect } from "vitest";
import { createTestDatabase } from "../support/database.js";

// embedded_shared_buffers reaches PGlite's backend as its shared_buffers setting.
describe("embedded database settings", () => {
  it("runs with the configured shared_buffers", async () => {
    const t = await createTestDatabase({ META_AGENT_EMBEDDED_SHARED_BUFFERS: "48MB" });
    try {
      const r = await t.db.pool.query<{ shared_buffers: string }>("SHOW shared_buffers");
      expect(r.rows[0]!.shared_buffers).toBe("48MB");
    } finally {
      await t.close();
    }
  });
});
