// Hearth's only storage: one IndexedDB database of the publisher's origin,
// named "hearth", with one object store of a few keys. The Worker writes the
// profile; the loader only reads the consent record (and deletes everything
// on clear). Opening a database that does not exist creates it, which would be
// a write while personalization is off, so reads abort the creation instead.

/** The IndexedDB database name. */
export const dbName = 'hearth';
const storeName = 'kv';
const version = 1;

/** Keys of the object store. */
export const Key = Object.freeze({
  profile: 'profile', // the profile's MessagePack bytes (Uint8Array)
  consent: 'consent', // 'granted', or 'denied' under an opt-out default
});

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
 * Deletes the whole database: afterwards no trace of Hearth is stored.
 * @returns {Promise<void>}
 */
export function remove() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase(dbName);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    // Another tab holds the database open; the deletion completes when it
    // closes, and nothing can be written meanwhile.
    req.onblocked = () => resolve();
  });
}
