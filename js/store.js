// Hearth's storage, all of it on the publisher's origin: one IndexedDB
// database named "hearth", with one object store of a few keys, and one
// Cache Storage cache of the catalogue's files (keptBody). The Worker writes
// the profile; the loader only reads the consent record (and deletes
// everything on clear). Opening a database that does not exist creates it,
// which would be a write while personalization is off, so reads abort the
// creation instead.
//
// Every change of the profile is one readwrite transaction (update): it
// reads the stored profile, computes the new one synchronously and writes
// it before the transaction ends. IndexedDB runs readwrite transactions on
// the same object store one after another, across connections and tabs, so
// two tabs never overwrite each other's changes, on every origin: Web Locks
// exist only in secure contexts, and a plain-http site has none.

/** The IndexedDB database name. */
export const dbName = 'hearth';
const storeName = 'kv';
const version = 1;

/** Keys of the object store. */
export const Key = Object.freeze({
  profile: 'profile', // the profile's MessagePack bytes (Uint8Array)
  consent: 'consent', // 'granted', or 'denied' under an opt-out default
  // A stored profile that did not decode, set aside rather than deleted so
  // that a later release or the reader can recover it: {value, time}, the
  // value as it was stored and the time it was set aside (Unix ms).
  corrupt: 'profile-corrupt',
  // The lists the engine ranked for the stored profile (see Recs), which
  // the loader shows on the next page before the engine starts.
  recs: 'recs',
});

/**
 * The record under Key.recs: lists the Worker ranked, valid only while
 * everything they depend on is unchanged. profile is the digest of the
 * stored profile's bytes they were ranked on (every write of the profile
 * removes the lists in the same transaction, so they never outlive it);
 * catalogue and engine the versions of the files the Worker loaded
 * (versionOf); period the clock's period they were ranked in (rank time and
 * seed are fixed per period: hearth-worker.js). lists maps a slot's
 * context (context) to its list; shapes are the slots' count and related
 * seen on the site, from which the Worker ranks the pages a reader may
 * open next.
 * @typedef {{profile: string, catalogue: string, engine: string, period: number,
 *   lists: Record<string, import('./hearth.js').Recommendation[]>, shapes: [number, boolean][]}} Recs
 */

/**
 * The length of the period within which ranking's clock and exploration
 * seed stay fixed, so that the engine ranks the same list for the same
 * profile, catalogue and slot on every page of the period: an hour.
 */
export const periodMs = 3600000;

/**
 * The key of a slot's list in Recs.lists: everything the request carries.
 * @param {number} count
 * @param {boolean} related
 * @param {string} item the page's canonical URL
 */
export function context(count, related, item) {
  return JSON.stringify([count, related, item]);
}

/**
 * The version of a file as its response names it: the ETag, else
 * Last-Modified; '' when neither is sent (nothing is then cached).
 * @param {Response} resp
 */
export function versionOf(resp) {
  return resp.headers.get('ETag') || resp.headers.get('Last-Modified') || '';
}

/**
 * A stored value as bytes: IndexedDB gives back what was stored, which
 * may be an ArrayBuffer rather than a Uint8Array; anything else is
 * returned as it is.
 * @param {unknown} v
 */
export function asBytes(v) {
  return v instanceof ArrayBuffer ? new Uint8Array(v) : v;
}

/**
 * A digest of stored profile bytes (53-bit, hex): equal bytes, equal
 * digest; '' for none. Not cryptographic: crypto.subtle exists only in
 * secure contexts, and the digest only tells versions of one reader's
 * profile apart.
 * @param {unknown} bytes
 */
export function digest(bytes) {
  const b = asBytes(bytes);
  if (!(b instanceof Uint8Array)) return '';
  let h1 = 0xdeadbeef ^ b.length;
  let h2 = 0x41c6ce57 ^ b.length;
  for (const c of b) {
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/**
 * @template T
 * @param {IDBRequest<T>} req
 * @returns {Promise<T>}
 */
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/**
 * Opens the database; without create, resolves null where none exists.
 * @param {boolean} create
 * @returns {Promise<IDBDatabase | null>}
 */
function open(create) {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(dbName, version);
    req.onupgradeneeded = () => {
      if (!create) {
        // No database yet: nothing is stored, and aborting keeps it so.
        // (The upgrade runs in a version-change transaction, never null.)
        req.transaction?.abort();
        return;
      }
      req.result.createObjectStore(storeName);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      if (!create && req.error && req.error.name === 'AbortError') resolve(null);
      else reject(req.error);
    };
    req.onblocked = () => reject(new Error('indexeddb: open blocked'));
  });
}

/**
 * Reads keys without ever creating the database.
 * @param {string[]} keys
 * @returns {Promise<Record<string, any>>} the keys that are stored
 */
export async function read(keys) {
  const db = await open(false);
  if (!db) return {};
  try {
    if (!db.objectStoreNames.contains(storeName)) return {};
    const store = db.transaction(storeName, 'readonly').objectStore(storeName);
    /** @type {Record<string, any>} */
    const out = {};
    for (const k of keys) {
      const v = await request(store.get(k));
      if (v !== undefined) out[k] = v;
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * Writes all entries in one transaction: either all are stored or none, so a
 * failed write leaves the previous profile in place.
 * @param {Record<string, any>} entries
 */
export async function write(entries) {
  // open(true) creates the database where none exists: never null.
  const db = /** @type {IDBDatabase} */ (await open(true));
  try {
    await /** @type {Promise<void>} */ (new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, 'readwrite');
      const store = tx.objectStore(storeName);
      for (const [k, v] of Object.entries(entries)) store.put(v, k);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error('indexeddb: write aborted'));
    }));
  } finally {
    db.close();
  }
}

/**
 * What an update writes: entries to put and keys to delete, and the value
 * update resolves to.
 * @template T
 * @typedef {{result: T, put?: Record<string, any>, remove?: string[]}} Update
 */

/**
 * Reads keys, runs f on what is stored and writes what f returns, all in one
 * readwrite transaction, so that no other writer (another tab's Worker)
 * comes between the read and the write. f must be synchronous: a
 * transaction ends as soon as nothing is pending on it, so f may await
 * nothing (no fetch, no timer). When f throws, nothing is written and
 * update rejects with what it threw; when the write fails, nothing is
 * written either (one transaction) and update rejects.
 *
 * Without create, a missing database is not created: f sees nothing stored,
 * and only when it asks for a write is the database created for it.
 * @template T
 * @param {string[]} keys
 * @param {(stored: Record<string, any>) => Update<T>} f
 * @param {boolean} create
 * @returns {Promise<T>}
 */
export async function update(keys, f, create) {
  const db = await open(create);
  if (!db) {
    // Nothing is stored. A write (f asks for none when nothing is stored
    // today) goes through a database created for it.
    const out = f({});
    if (Object.keys(out.put || {}).length) await write(out.put || {});
    return out.result;
  }
  try {
    return await /** @type {Promise<T>} */ (new Promise((resolve, reject) => {
      const tx = db.transaction(storeName, 'readwrite');
      const s = tx.objectStore(storeName);
      /** @type {Record<string, any>} */
      const stored = {};
      /** @type {Update<T> | undefined} */
      let out;
      /** @type {unknown} */
      let failure;
      const run = () => {
        try {
          out = f(stored);
          for (const [k, v] of Object.entries(out.put || {})) s.put(v, k);
          for (const k of out.remove || []) s.delete(k);
        } catch (err) {
          failure = err;
          try {
            tx.abort();
          } catch {
            // Already aborted (a failed put aborts it).
          }
        }
      };
      let left = keys.length;
      for (const k of keys) {
        const req = s.get(k);
        req.onsuccess = () => {
          if (req.result !== undefined) stored[k] = req.result;
          if (--left === 0) run();
        };
      }
      if (!left) run();
      tx.oncomplete = () => resolve(/** @type {Update<T>} */ (out).result);
      tx.onabort = () => reject(failure || tx.error || new Error('indexeddb: write aborted'));
    }));
  } finally {
    db.close();
  }
}

/**
 * Deletes the whole database and the catalogue's kept files: afterwards no
 * trace of Hearth is stored.
 * @returns {Promise<void>}
 */
export async function remove() {
  await Promise.all([removeBodies(), removeDatabase()]);
}

/** @returns {Promise<void>} */
function removeDatabase() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(dbName);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    // Another tab holds the database open; the deletion completes when it
    // closes, and nothing can be written meanwhile.
    req.onblocked = () => resolve();
  });
}

/** The name of Hearth's one Cache Storage cache (keptBody). */
export const bodiesName = 'hearth-catalogue';

// The header of a kept file that records the version it was kept for.
const keptVersion = 'X-Hearth-Version';

/**
 * The file kept for resp, as a response to read instead of resp's body;
 * undefined when none is kept for the version resp names.
 *
 * The Worker keeps the catalogue's files as the engine reads them, in
 * Cache Storage, for the next page. The browser's HTTP cache keeps a file
 * as the server sent it, brotli-compressed, and decompresses it again on
 * every page: for 100,000 items that takes longer than reading the
 * decompressed bytes back (docs/performance.md). A kept file stands for a
 * response only while the response names the same version (versionOf):
 * the request is still sent and answered, by the HTTP cache or the server,
 * so every reader's requests stay the same as without it, and a file
 * changed on the server is read anew. The files are the publisher's public
 * catalogue, nothing of the reader's, and are deleted with the profile
 * (remove). Where Cache Storage is missing (a plain-http site) or refused,
 * nothing is kept.
 * @param {Response} resp
 * @returns {Promise<Response | undefined>}
 */
export async function keptBody(resp) {
  const version = versionOf(resp);
  if (!version || typeof caches === 'undefined') return undefined;
  // Matching in a named cache never creates it.
  const kept = await caches.match(resp.url, { cacheName: bodiesName }).catch(() => undefined);
  return kept && kept.headers.get(keptVersion) === version ? kept : undefined;
}

/**
 * Keeps the files of a catalogue the engine loaded, and only them: urls
 * are all its files, read those whose bodies were read from their
 * responses, with the chunks read. A response that names no version is
 * not kept. The Worker ignores a failure: the next page reads the HTTP
 * cache, as without kept files.
 * @param {string[]} urls
 * @param {{resp: Response, chunks: Uint8Array[]}[]} read
 */
export async function keepBodies(urls, read) {
  const fresh = read.filter((r) => versionOf(r.resp));
  if (typeof caches === 'undefined' || (!fresh.length && !(await caches.has(bodiesName)))) return;
  const cache = await caches.open(bodiesName);
  for (const req of await cache.keys()) {
    if (!urls.includes(req.url)) await cache.delete(req);
  }
  for (const { resp, chunks } of fresh) {
    // Chunks a response gave are never shared memory.
    const body = new Blob(/** @type {BlobPart[]} */ (chunks));
    await cache.put(resp.url, new Response(body, { headers: { [keptVersion]: versionOf(resp) } }));
  }
}

/**
 * Deletes the kept files (keptBody).
 * @returns {Promise<void>}
 */
export async function removeBodies() {
  if (typeof caches === 'undefined') return;
  // Where Cache Storage refuses to work, nothing was kept either.
  await caches.delete(bodiesName).catch(() => {});
}
