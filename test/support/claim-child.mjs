// Child process for the cycle race test: attaches to the served embedded database, tries to
// claim the tenant's learning cycle, holds it for HOLD_MS, prints the outcome as JSON.
import { loadConfig } from "../../dist/config/index.js";
import { openDatabase } from "../../dist/db/database.js";
import { silentLogger } from "../../dist/log/logger.js";
import { claimCycle } from "../../dist/learning/claim-cycle.js";

const config = loadConfig();
const db = await openDatabase(config, silentLogger, { attach: true });
// Both children wait for the same wall-clock instant so their claims really race.
const at = Number(process.env.START_AT);
await new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));
const result = await claimCycle(db, { tenant: "race", trigger: `pid-${process.pid}`, logger: silentLogger });
if (result.claimed) {
  await new Promise((r) => setTimeout(r, Number(process.env.HOLD_MS ?? 1500)));
  await db.pool.query(`UPDATE learning_cycles SET status = 'completed', finished_at = now() WHERE id = $1`, [result.claim.cycleId]);
  await result.claim.release();
}
console.log(JSON.stringify({ claimed: result.claimed, reason: result.claimed ? null : result.reason }));
await db.close();
