// Replacement for pglite-socket's query queue. PGlite has a single Postgres session that every
// socket connection shares; pglite-socket queues *individual wire messages*, so under load the
// extended-protocol messages of two connections interleave (A's Parse, B's Parse, A's Bind...)
// and clients get each other's results — test/db/socket-concurrency.integration.test.ts shows
// it. This queue gives the session to one connection from its first extended-protocol message
// until its Sync, and for the whole of an explicit transaction, and serves everyone else after.
// It implements the (internal) interface PGLiteSocketHandler calls; the pglite-socket version
// is pinned in package.json because of that.

/**
 * @typedef {{ handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void,
 *   resolve: (bytes: number) => void, reject: (err: unknown) => void }} QueuedMessage
 */

/** Frontend messages after which the session must stay with the sender until it sends Sync. */
const EXTENDED_PROTOCOL = new Set(["P", "B", "D", "E", "H", "C"].map((c) => c.charCodeAt(0)));
const SYNC = "S".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const SYNC_MESSAGE = new Uint8Array([SYNC, 0, 0, 0, 4]);

export class ProtocolAwareQueryQueue {
  /** @type {QueuedMessage[]} */
  queue = [];
  draining = false;
  /** Connection that holds the session (mid extended-protocol batch or inside a transaction). @type {number | null} */
  owner = null;

  /** @param {import("@electric-sql/pglite").PGlite} db */
  constructor(db) {
    this.db = db;
  }

  /** @param {number} handlerId @param {Uint8Array} message @param {(data: Uint8Array) => void} onData @returns {Promise<number>} */
  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.drain();
    });
  }

  getQueueLength() {
    return this.queue.length;
  }

  /** @param {number} handlerId */
  clearQueueForHandler(handlerId) {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A disconnecting owner must not leave the shared session inside its transaction or batch. */
  /** @param {number} handlerId */
  async clearTransactionIfNeeded(handlerId) {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRaw(SYNC_MESSAGE).catch(() => undefined);
      if (this.db.isInTransaction()) await this.db.exec("ROLLBACK").catch(() => undefined);
    });
    this.owner = null;
    void this.drain();
  }

  /** @returns {QueuedMessage | undefined} */
  next() {
    if (this.owner === null) return this.queue.shift();
    const i = this.queue.findIndex((item) => item.handlerId === this.owner);
    return i === -1 ? undefined : this.queue.splice(i, 1)[0];
  }

  async drain() {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        let bytes = 0;
        const current = item;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
          this.settleOwner(current);
          current.resolve(bytes);
        } catch (err) {
          this.settleOwner(current);
          current.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** @param {QueuedMessage} item */
  settleOwner(item) {
    const type = item.message[0] ?? 0;
    if (EXTENDED_PROTOCOL.has(type)) this.owner = item.handlerId;
    else if (type === SYNC || type === QUERY) this.owner = this.db.isInTransaction() ? item.handlerId : null;
    else if (this.db.isInTransaction()) this.owner = item.handlerId;
  }
}
