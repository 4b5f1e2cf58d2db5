// The Hearth Worker: it runs the Go engine (hearth.wasm, started by the
// toolchain's wasm_exec.js), owns the reader's profile in IndexedDB and
// answers the loader's calls. It exists only while personalization is on.
//
// The messages with the loader are declared in worker.d.ts: {id, op,
// ...arguments} in, {id, ok, value | error} out, plus {event: 'error', code,
// message} for problems that belong to no call (a profile that could not be
// stored or read). Calls run one at a time in arrival order, so profile
// writes land in the order the engine made them. The Worker keeps no
// consent of its own: it runs only while the page decided personalization
// is on (js/consent.js), and tells the engine so.
//
// Several tabs of a site each run a Worker over the same stored profile.
// Every change is a read-modify-write in one IndexedDB transaction
// (store.update): the Worker reads the stored profile, passes it with the
// change in one engine call, which applies the change to it and encodes the
// result once, and writes that before the transaction ends. The engine is
// synchronous, so nothing leaves the transaction, and IndexedDB runs one
// readwrite transaction on the store at a time across all tabs: no tab
// overwrites another's events, on every origin (Web Locks, which plain-http
// sites lack, are not needed). A BroadcastChannel tells the other Workers
// that the stored profile changed, so that they reload it before they next
// rank or show it.
//
// The Worker also keeps the lists it ranked (store.Key.recs, store.js Recs)
// for the loader to show on the next page before the engine has started.
// Ranking's clock and exploration seed are fixed per period (an hour,
// store.periodMs), so that the engine's answer for a profile, catalogue and
// slot does not drift between the pages of a period; every write of the
// profile removes the lists in the same transaction, and after it the
// Worker ranks them again, for this page's slots and the pages its lists
// lead to.

import { Code, Op } from './ops.gen.js';
import { encode, decode } from './protocol.js';
import { ImportError, exportText, importProfile } from './export.js';
import * as store from './store.js';

/**
 * @typedef {import('./protocol.gen.js').OpName} OpName
 * @typedef {import('./protocol.gen.js').OpArgs} OpArgs
 * @typedef {import('./protocol.gen.js').OpResults} OpResults
 * @typedef {import('./protocol.gen.js').ErrorCode} ErrorCode
 * @typedef {import('./worker.js').WorkerCalls} WorkerCalls
 * @typedef {import('./worker.js').WorkerOp} WorkerOp
 * @typedef {import('./worker.js').WorkerRequest} WorkerRequest
 * @typedef {import('./worker.js').WorkerReply} WorkerReply
 */

/** @type {((req: Uint8Array, data?: Uint8Array | Uint8Array[]) => Uint8Array) | null} */
let dispatch = null;

// A catalogue larger than this is refused while it downloads: the engine
// refuses to decode more (catalog.DefaultMaxBytes), and a reader's tab
// should not buffer an absurd response first.
const maxCatalogueBytes = 64 << 20;

// Whether another Worker changed the stored profile since this one read it.
let stale = false;
// Whether the engine's profile is a fresh one, as when nothing is stored.
let fresh = true;
// Whether the stored profile that could not be decoded was reported, so that
// every later reload of the same bytes does not report it again.
let reportedBad = false;
// Whether a stored profile of a newer release was reported (once a Worker).
let reportedNewer = false;
// The digest of the stored profile the engine holds (store.digest), and
// the versions of the catalogue and engine it loaded (store.versionOf): what
// kept lists are valid for.
let held = '';
let catalogueVersion = '';
let engineVersion = '';

// The catalogue's files read from their responses are kept
// (store.keepBodies) once the page's first call after the load is answered
// (usually its first list), or after keepIdleMs without one: writing
// 18.7 MB to Cache Storage during the load's own storage work delayed a
// first visit's first list at 100k items by about 70 ms.
const keepIdleMs = 500;
/** @type {(() => Promise<void>) | null} */
let toKeep = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let keepTimer;
// The keeping under way, which clear waits for.
/** @type {Promise<void>} */
let keeping = Promise.resolve();

/**
 * Keeps the catalogue's files after the answer to op: at once after any
 * call but init, else after keepIdleMs.
 * @param {string} op
 */
function keepAfter(op) {
  clearTimeout(keepTimer);
  const keep = () => {
    if (toKeep) keeping = toKeep();
    toKeep = null;
  };
  if (toKeep && op === 'init') keepTimer = setTimeout(keep, keepIdleMs);
  else keep();
}

/** @type {BroadcastChannel | null} */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('hearth') : null;
if (channel) channel.onmessage = () => { stale = true; };

// mark records a step of the Worker's start as a User Timing mark named
// hearth:<step>, at most once per step, so that DevTools' Performance panel
// shows where a page's first recommendations spent their time (the browser
// benchmark reads them too). Steps: worker (script evaluated), wasm-exec,
// compiled, engine (Go started), catalogue-bytes (the body read),
// catalogue (decoded), init, and the first completion of each later call.
const marked = new Set();
/** @param {string} step */
function mark(step) {
  if (marked.has(step) || typeof performance === 'undefined' || !performance.mark) return;
  marked.add(step);
  performance.mark(`hearth:${step}`);
}
mark('worker');

class HearthError extends Error {
  /**
   * @param {ErrorCode} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * The message of a thrown value.
 * @param {unknown} err
 * @returns {string}
 */
function text(err) {
  return String((err instanceof Error && err.message) || err);
}

/**
 * Runs one operation of the engine. data is the operation's bytes argument
 * (a catalogue, a profile), passed beside the request rather than encoded
 * into it: the engine copies it once.
 * @template {OpName} K
 * @param {K} op
 * @param {OpArgs[K]} args
 * @param {Uint8Array | Uint8Array[]} [data] bytes, or bytes in chunks
 * @returns {OpResults[K]}
 */
function call(op, args, data = undefined, now = Date.now()) {
  if (!dispatch) throw new HearthError(Code.notReady, 'the engine is not loaded');
  const resp = decode(dispatch(encode({ op, now, ...args }), data));
  if (resp.code) throw new HearthError(resp.code, resp.msg || resp.code);
  return resp;
}

/**
 * @param {ErrorCode} code
 * @param {string} message
 */
function notify(code, message) {
  /** @type {WorkerReply} */
  const event = { event: 'error', code, message };
  self.postMessage(event);
}

/**
 * Runs one read-modify-write of the stored profile in one IndexedDB
 * transaction, and resolves the engine's response, whose profile, when it
 * carries one, replaces the stored one before any other Worker may read it.
 * withBytes runs the engine on the stored profile's bytes; without runs it
 * when nothing usable is stored. Both must call the engine and nothing that
 * waits (store.update).
 *
 * A stored profile the engine cannot decode (bad-profile), or a stored
 * value that is not bytes, is reported once and set aside under its own
 * key with the time (store.Key.corrupt), so that a later release or the
 * reader can recover it, and the change runs on an empty profile. A stored
 * profile of a newer release (profile-newer) is left as it is: the call
 * fails with that code and nothing is written.
 *
 * A failed write leaves the previous stored profile intact (one
 * transaction) and fails with code storage; the engine then reloads what
 * is stored before its next call, so memory and storage never disagree for
 * long.
 * @template {{profile?: Uint8Array}} R
 * @param {boolean} create whether a missing database may be created
 * @param {(bytes: Uint8Array) => R} withBytes
 * @param {() => R} without
 * @returns {Promise<R>}
 */
async function atomically(create, withBytes, without) {
  let ran = false;
  /** @type {R} */
  let resp;
  try {
    resp = await store.update([store.Key.profile, store.Key.recs], (stored) => {
      ran = true;
      /** @type {store.Recs | undefined} */
      const kept = stored[store.Key.recs];
      const raw = stored[store.Key.profile];
      const bytes = store.asBytes(raw);
      let aside = false;
      /** @type {R | undefined} */
      let r;
      if (bytes instanceof Uint8Array) {
        try {
          r = withBytes(bytes);
          reportedBad = false;
        } catch (err) {
          if (!(err instanceof HearthError) || err.code !== Code.badProfile) throw err;
          reportBad(`${err.message}; set aside as ${store.Key.corrupt}`);
          aside = true;
        }
      } else if (bytes !== undefined) {
        reportBad(`load profile: stored value is ${typeof bytes}, not bytes; set aside as ${store.Key.corrupt}`);
        aside = true;
      }
      if (!r) r = without();
      /** @type {Record<string, any>} */
      const put = {};
      if (aside) put[store.Key.corrupt] = { value: raw, time: Date.now() };
      if (r.profile) put[store.Key.profile] = r.profile;
      held = store.digest(r.profile || (aside ? undefined : bytes));
      if (kept) {
        learnShapes(kept);
        // Lists ranked on the profile as it was go with it.
        if (r.profile || aside) put[store.Key.recs] = { ...kept, profile: '', lists: {} };
      }
      return { result: r, put, remove: aside && !r.profile ? [store.Key.profile] : [] };
    }, create);
  } catch (err) {
    // The engine refused the change: nothing was written, nothing changed.
    if (err instanceof HearthError) throw err;
    // The engine may hold a change that was not stored.
    if (ran) stale = true;
    throw new HearthError(Code.storage, `${ran ? 'store' : 'read'} profile: ${text(err)}`);
  }
  if (resp.profile) {
    if (channel) channel.postMessage('changed');
    // Once the changes of a moment (a like, a read) are made, and not in
    // between them and the calls that follow.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshLater, 1000);
  }
  return resp;
}

/** @param {string} message */
function reportBad(message) {
  if (!reportedBad) notify(Code.badProfile, message);
  reportedBad = true;
}

/**
 * Handles a stored profile of a newer release: reports it once and leaves
 * the engine on an empty profile, so that the reader sees the site's usual
 * order and nothing is learned until the site serves that release.
 * @param {HearthError} err
 */
function newer(err) {
  if (!reportedNewer) notify(Code.profileNewer, `${err.message}: left as it is until the site updates`);
  reportedNewer = true;
  call(Op.loadProfile, {});
  fresh = true;
  stale = false;
}

/**
 * Whether err is the engine's refusal of a newer release's profile.
 * @param {unknown} err
 */
function isNewer(err) {
  return err instanceof HearthError && err.code === Code.profileNewer;
}

// sync loads the stored profile into the engine. A missing profile loads
// as an empty one, an unreadable one is set aside (atomically), and one of
// a newer release is reported and left alone; in both cases the engine
// runs on an empty profile. The engine applies retention and decay on
// every load; when that dropped something, the minimised profile is stored
// in the same transaction. early is the stored values init read before
// the engine was ready (loadEarly).
/** @param {Promise<Record<string, any> | undefined>} [early] */
async function sync(early = undefined) {
  // After an early read, stale may already say that another tab changed
  // the profile since: it is left for the next call.
  if (early && loadEarly(await early)) return;
  stale = false;
  try {
    await atomically(false, (bytes) => {
      const loaded = call(Op.loadProfile, {}, bytes);
      fresh = false;
      return loaded;
    }, () => {
      fresh = true;
      return call(Op.loadProfile, {});
    });
  } catch (err) {
    if (!isNewer(err)) throw err;
    newer(/** @type {HearthError} */ (err));
  }
}

/**
 * Loads the profile read as the Worker started (init reads it while the
 * engine and the catalogue arrive): the common case, a stored profile the
 * engine takes as it is, needs no transaction of its own after the load.
 * Anything else (nothing stored, a damaged or newer profile, one the engine
 * changes on loading, a failed read) returns false, and sync's transaction
 * handles it as before. A change by another tab after the read marks the
 * engine stale (the channel), so the next call reloads.
 * @param {Record<string, any> | undefined} stored
 * @returns {boolean} whether the profile was loaded
 */
function loadEarly(stored) {
  const raw = stored && stored[store.Key.profile];
  const bytes = store.asBytes(raw);
  if (!(bytes instanceof Uint8Array)) return false;
  let loaded;
  try {
    loaded = call(Op.loadProfile, {}, bytes);
  } catch {
    return false;
  }
  if (loaded.profile) return false;
  fresh = false;
  reportedBad = false;
  held = store.digest(bytes);
  const kept = stored && stored[store.Key.recs];
  if (kept) learnShapes(kept);
  return true;
}

/**
 * Runs one change of the profile as one read-modify-write (atomically), in
 * one engine call: the stored profile goes with the change, which the
 * engine applies to it and encodes once for storing. Only when nothing
 * usable is stored and the engine's profile is not a fresh one does the
 * engine first start afresh. On a newer release's profile the change fails
 * with profile-newer and nothing is written.
 * @template {'track' | 'import' | 'forget-item' | 'forget-event' | 'forget-topic' | 'unmute' | 'unhide' | 'variety'} K
 * @param {K} op
 * @param {OpArgs[K]} args
 * @returns {Promise<OpResults[K]>}
 */
async function change(op, args) {
  /** @param {OpResults[K]} resp */
  const done = (resp) => {
    // The engine's profile is now the stored one with the change.
    stale = false;
    fresh = false;
    return resp;
  };
  try {
    return await atomically(true, (bytes) => done(call(op, args, bytes)),
      () => done(fresh ? call(op, args) : afresh(op, args)));
  } catch (err) {
    if (isNewer(err)) newer(/** @type {HearthError} */ (err));
    throw err;
  }
}

/**
 * Runs a change on a fresh profile, when nothing usable is stored.
 * @template {OpName} K
 * @param {K} op
 * @param {OpArgs[K]} args
 * @returns {OpResults[K]}
 */
function afresh(op, args) {
  call(Op.loadProfile, {});
  return call(op, args);
}

// current reloads the stored profile before a read-only call when another
// Worker changed it.
async function current() {
  if (stale) await sync();
}

/**
 * Fetches a file of Hearth's, failing with code.
 * @param {string} url
 * @param {ErrorCode} code
 * @returns {Promise<Response>}
 */
async function fetchBytes(url, code) {
  let resp;
  try {
    // The same request for every reader: no cookies, no credentials, no
    // referrer.
    resp = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (err) {
    throw new HearthError(code, `fetch ${url}: ${text(err)}`);
  }
  if (!resp.ok) throw new HearthError(code, `fetch ${url}: HTTP ${resp.status}`);
  return resp;
}

/**
 * Reads a response body, refusing it beyond the bytes left in budget, which
 * it spends as the body arrives: bodies read at the same time from one
 * budget are held to it together.
 * @param {Response} resp
 * @param {{limit: number, left: number}} budget the bytes allowed, and those not spent yet
 * @param {ErrorCode} code the error code of a refusal
 * @returns {Promise<Uint8Array[]>} the body as it arrived, in chunks
 */
async function readLimited(resp, budget, code) {
  const declared = Number(resp.headers.get('Content-Length'));
  const over = () => new HearthError(code, `${resp.url}: more than ${budget.limit} bytes`);
  if (declared > budget.left) throw new HearthError(code, `${resp.url}: ${declared} bytes, limit ${budget.limit}`);
  if (!resp.body) {
    const body = new Uint8Array(await resp.arrayBuffer());
    if (body.length > budget.left) throw over();
    budget.left -= body.length;
    return [body];
  }
  const reader = resp.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (value.length > budget.left) {
      reader.cancel();
      throw over();
    }
    budget.left -= value.length;
    chunks.push(value);
  }
  return chunks;
}

/**
 * A budget of limit bytes for readLimited.
 * @param {number} limit
 */
function budgetOf(limit) {
  return { limit, left: limit };
}

/**
 * The bytes of parts, one after the other.
 * @param {Uint8Array[]} parts
 * @returns {Uint8Array}
 */
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of parts) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/**
 * A catalogue's files as fetchCatalogue read them: their bytes in chunks,
 * which the engine copies in one after the other (no joined copy of them
 * here); the files' URLs; the responses whose bodies were read, with
 * their chunks (the files to keep once the engine took them); and whether
 * any file was a kept one.
 * @typedef {{chunks: Uint8Array[], urls: string[], read: {resp: Response, chunks: Uint8Array[]}[], kept: boolean}} CatalogueFiles
 */

/**
 * Fetches the catalogue. A URL whose path ends in .json names a manifest
 * (catalogue.json, written by hearth-catalog): the base catalogue in its
 * "name", then the segments in "segments", files beside it whose
 * content-hashed names are cached for good. They are requested one after
 * the other in the manifest's order, each once the one before has
 * answered, so that every reader sends the same requests in the same
 * order, and are concatenated for the engine (catalog.DecodeChain). Any
 * other URL is one catalogue file. With useKept, a file kept for the
 * version its response names (store.keptBody) is read instead of the
 * response's body. onResponse is told the response of the URL itself (the
 * manifest, or the one file).
 * @param {string} url
 * @param {boolean} useKept
 * @param {(resp: Response) => void} [onResponse]
 * @returns {Promise<CatalogueFiles>}
 */
async function fetchCatalogue(url, useKept, onResponse = () => {}) {
  const first = await fetchBytes(url, Code.catalogue);
  onResponse(first);
  /** @type {CatalogueFiles} */
  const files = { chunks: [], urls: [], read: [], kept: false };
  /**
   * @param {Response} resp
   * @param {{limit: number, left: number}} budget
   */
  const read = async (resp, budget) => {
    files.urls.push(resp.url);
    const kept = useKept && await store.keptBody(resp);
    if (kept) {
      files.kept = true;
      if (resp.body) resp.body.cancel().catch(() => {});
      return readLimited(kept, budget, Code.badCatalogue);
    }
    const chunks = await readLimited(resp, budget, Code.badCatalogue);
    files.read.push({ resp, chunks });
    return chunks;
  };
  if (!new URL(url).pathname.endsWith('.json')) {
    files.chunks = await read(first, budgetOf(maxCatalogueBytes));
    return files;
  }
  /** @type {{name?: unknown, segments?: {name?: unknown}[]}} */
  let manifest;
  try {
    manifest = JSON.parse(new TextDecoder().decode(concat(await readLimited(first, budgetOf(1 << 20), Code.badCatalogue))));
  } catch (err) {
    if (err instanceof HearthError) throw err;
    throw new HearthError(Code.badCatalogue, `${url}: ${text(err)}`);
  }
  const segments = Array.isArray(manifest.segments) ? manifest.segments : [];
  /** @type {Promise<Uint8Array[]>[]} */
  const parts = [];
  // The files' bodies arrive at the same time; together they are held to
  // what one catalogue may be.
  const budget = budgetOf(maxCatalogueBytes);
  for (const name of [manifest.name, ...segments.map((s) => s && s.name)]) {
    // Only files beside the manifest.
    if (typeof name !== 'string' || !/^\w[\w.-]*$/.test(name)) {
      throw new HearthError(Code.badCatalogue, `${url}: ${JSON.stringify(name)} is not a file name`);
    }
    const body = read(await fetchBytes(new URL(name, url).href, Code.catalogue), budget);
    body.catch(() => {});
    parts.push(body);
  }
  files.chunks = (await Promise.all(parts)).flat();
  return files;
}

/**
 * Starts the engine: compiles hearth.wasm while wasm_exec.js loads, runs
 * it, and keeps the dispatch function it registers.
 * @param {string} wasmURL
 * @param {string} wasmExecURL
 */
async function loadEngine(wasmURL, wasmExecURL) {
  // Compilation starts with the download, before importScripts holds this
  // thread while it fetches and runs wasm_exec.js; it needs no imports.
  const compiled = fetchBytes(wasmURL, Code.wasm).then((r) => {
    engineVersion = store.versionOf(r);
    return compile(r);
  });
  compiled.catch(() => {});
  try {
    importScripts(wasmExecURL);
  } catch (err) {
    throw new HearthError(Code.wasm, `load ${wasmExecURL}: ${text(err)}`);
  }
  mark('wasm-exec');
  // The engine sets its own collector policy (wasm/main.go).
  const go = new self.Go();
  let instance;
  try {
    const module = await compiled;
    mark('compiled');
    instance = await WebAssembly.instantiate(module, go.importObject);
  } catch (err) {
    if (err instanceof HearthError) throw err;
    throw new HearthError(Code.wasm, `instantiate ${wasmURL}: ${text(err)}`);
  }
  // run returns a promise that settles only when the program exits; main
  // registers hearthDispatch before it blocks, which is before run returns.
  go.run(instance);
  if (typeof self.hearthDispatch !== 'function') {
    throw new HearthError(Code.wasm, 'the engine did not register hearthDispatch');
  }
  dispatch = self.hearthDispatch;
  mark('engine');
}

/**
 * Compiles the engine while its bytes arrive. Compiling from the response
 * rather than from bytes also lets the browser keep the compiled code
 * beside the cached file (code caching), where it does so. Streaming needs
 * the type application/wasm; a server that sends another type gets the
 * engine compiled from its bytes.
 * @param {Response} resp
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(resp) {
  try {
    const type = (resp.headers.get('Content-Type') || '').split(';')[0].trim();
    if (typeof WebAssembly.compileStreaming === 'function' && type === 'application/wasm') {
      return await WebAssembly.compileStreaming(resp);
    }
    return await WebAssembly.compile(await resp.arrayBuffer());
  } catch (err) {
    throw new HearthError(Code.wasm, `compile ${resp.url}: ${text(err)}`);
  }
}

/**
 * The Worker's answer to each call of the loader (worker.d.ts).
 * @type {{ [K in WorkerOp]: (msg: import('./worker.js').WorkerRequest<K>) => Promise<WorkerCalls[K]['value']> }}
 */
const handlers = {
  async init({ catalogue, wasm, wasmExec, consent }) {
    // The stored profile is read while the engine and the catalogue
    // arrive (sync); a change by another tab from now on marks it stale.
    stale = false;
    const early = store.read([store.Key.profile, store.Key.recs]).catch(() => undefined);
    /** @param {boolean} useKept */
    const fetchFiles = (useKept) => fetchCatalogue(catalogue, useKept, (r) => {
      catalogueVersion = store.versionOf(r);
    });
    const fetched = fetchFiles(true).then((f) => {
      mark('catalogue-bytes');
      return f;
    });
    // Keep a failed catalogue from being an unhandled rejection while the
    // engine loads; it is awaited below.
    fetched.catch(() => {});
    await loadEngine(wasm, wasmExec);
    // The page's decision is the engine's: it learns and personalises
    // only while the page says personalization is on.
    const load = (/** @type {CatalogueFiles} */ f) => call(Op.loadCatalogue, { consent }, f.chunks).cat;
    let files = await fetched;
    let info;
    try {
      info = load(files);
    } catch (err) {
      if (!files.kept) throw err;
      // The engine refused a kept file (damaged on disk, say): the kept
      // files go, and the catalogue is read from its responses again.
      await store.removeBodies();
      files = await fetchFiles(false);
      info = load(files);
    }
    if (!info) throw new HearthError(Code.internal, 'load catalogue: no catalogue in the response');
    // Only a catalogue the engine took is kept.
    toKeep = () => store.keepBodies(files.urls, files.read).catch(() => {});
    mark('catalogue');
    try {
      await sync(early);
    } catch (err) {
      // Storage is unavailable: the engine runs on an empty profile, and
      // every change fails with storage rather than overwrite a stored
      // profile it could not read.
      notify(err instanceof HearthError ? err.code : Code.storage, text(err));
    }
    return { catalogue: info };
  },
  async clear() {
    call(Op.clear, {});
    fresh = true;
    // Nothing is kept from now on, and what is being kept is deleted
    // after it is written, not before.
    toKeep = null;
    await keeping;
    held = '';
    try {
      // The deletion waits for every open transaction of every tab.
      await store.remove();
    } catch (err) {
      throw new HearthError(Code.storage, `delete profile: ${text(err)}`);
    }
    if (channel) channel.postMessage('changed');
    return null;
  },
  async track({ item, kind, dwell, topic }) {
    try {
      return !!(await change(Op.track, { item, kind, dwell, topic })).learned;
    } catch (err) {
      // Nothing is learned on a newer release's profile, which was
      // reported once (hearth:error); a page's every automatic view and
      // read need not report it again.
      if (isNewer(err)) return false;
      throw err;
    }
  },
  async recommend({ count, item, related, period, keep }) {
    await current();
    const recs = rank(count, item, related, period);
    if (keep && item) {
      // A slot of the page: its list is kept, and after it the lists of
      // the pages it leads to.
      pageSlots.set(store.context(count, related, item), [count, related, item]);
      for (const r of recs) {
        try {
          links.add(new URL(r.url, item).href);
        } catch {
          // Not a URL: no page to rank for.
        }
      }
      shapes.set(JSON.stringify([count, related]), [count, related]);
      const ranked = held;
      later(() => keepLists(ranked, period, [[store.context(count, related, item), recs]]));
      refreshLater();
    }
    return recs;
  },
  async profile() {
    await current();
    const view = call(Op.profile, {}).view;
    if (!view) throw new HearthError(Code.internal, 'profile: no view in the response');
    return view;
  },
  async export() {
    await current();
    const doc = call(Op.export, {}).doc;
    if (!doc) throw new HearthError(Code.internal, 'export: no profile in the response');
    return exportText(doc, Date.now());
  },
  async import({ json }) {
    let doc;
    try {
      doc = importProfile(json);
    } catch (err) {
      if (err instanceof ImportError) throw new HearthError(Code.badImport, err.message);
      throw err;
    }
    await change(Op.import, { doc });
    return null;
  },
  async 'forget-item'({ item }) {
    await change(Op.forgetItem, { item });
    return null;
  },
  async 'forget-event'({ index }) {
    await change(Op.forgetEvent, { index });
    return null;
  },
  async 'forget-topic'({ topic }) {
    await change(Op.forgetTopic, { topic });
    return null;
  },
  async unmute({ topic }) {
    await change(Op.unmute, { topic });
    return null;
  },
  async unhide({ item }) {
    await change(Op.unhide, { item });
    return null;
  },
  async variety({ variety }) {
    await change(Op.variety, { variety });
    return null;
  },
};

// What the Worker ranks lists for after a change: this page's slots
// (context to [count, related, item]), the links of their lists, and the
// slots' shapes ([count, related]) seen on the site, this page's and those
// the kept record names.
/** @type {Map<string, [number, boolean, string]>} */
const pageSlots = new Map();
/** @type {Set<string>} */
const links = new Set();
/** @type {Map<string, [number, boolean]>} */
const shapes = new Map();
// Bounds of the kept record: lists, and shapes of slots.
const maxLists = 24;
const maxShapes = 4;

/** @param {store.Recs} kept */
function learnShapes(kept) {
  for (const [count, related] of kept.shapes || []) {
    if (shapes.size < maxShapes) shapes.set(JSON.stringify([count, related]), [count, related]);
  }
}

/**
 * Ranks a list at the period's start with the period's seed, which the
 * stored profile also seeds: the same answer for the same profile,
 * catalogue and slot all period long, and exploration that differs
 * between readers and changes with their profile.
 * @param {number} count
 * @param {string | undefined} item
 * @param {boolean} related
 * @param {number} period
 */
function rank(count, item, related, period) {
  const seed = (parseInt(held.slice(-12) || '0', 16) + period) % 2 ** 48;
  return call(Op.recommend, { count, item, related, seed }, undefined, period * store.periodMs).recs || [];
}

/**
 * Runs f after the calls already queued, as a call of its own; its
 * failure is no call's.
 * @param {() => Promise<void>} f
 */
function later(f) {
  queue = queue.then(f).catch(() => {});
}

/**
 * Keeps lists ranked in period on the stored profile of digest ranked,
 * added to those kept for the same profile, files and period, when the
 * stored profile is still that one (a change since, of this tab or
 * another, makes them another profile's).
 * @param {string} ranked
 * @param {number} period
 * @param {[string, import('./hearth.js').Recommendation[]][]} lists
 */
async function keepLists(ranked, period, lists) {
  if (!ranked || !catalogueVersion || !engineVersion || !lists.length) return;
  const valid = `${ranked} ${period}`;
  await store.update([store.Key.profile, store.Key.recs], (stored) => {
    if (store.digest(stored[store.Key.profile]) !== ranked) return { result: undefined };
    /** @type {store.Recs | undefined} */
    const kept = stored[store.Key.recs];
    if (kept) learnShapes(kept);
    const same = kept && kept.profile === ranked && kept.catalogue === catalogueVersion &&
      kept.engine === engineVersion && kept.period === period;
    const all = Object.entries(same ? kept.lists : {}).filter(([k]) => !lists.some(([n]) => n === k));
    /** @type {store.Recs} */
    const rec = {
      profile: ranked, catalogue: catalogueVersion, engine: engineVersion, period,
      lists: Object.fromEntries([...all, ...lists].slice(-maxLists)),
      shapes: Array.from(shapes.values()),
    };
    if (keptFor !== valid) keptKeys.clear();
    keptFor = valid;
    for (const [k] of lists) keptKeys.add(k);
    return { result: undefined, put: { [store.Key.recs]: rec } };
  }, false);
}

// The contexts of the lists kept for the profile and period keptFor, which
// a refresh need not rank again.
let keptFor = '';
/** @type {Set<string>} */
const keptKeys = new Set();

let refreshing = false;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;

// refreshLater ranks again, once the calls already queued are answered,
// the lists a reader's next page may show: this page's slots and, in each
// shape of slot seen, the pages this page's lists link to.
function refreshLater() {
  if (refreshing) return;
  refreshing = true;
  later(async () => {
    refreshing = false;
    if (!held) return;
    await current();
    const period = Math.floor(Date.now() / store.periodMs);
    /** @type {Map<string, [number, boolean, string]>} */
    const todo = new Map(pageSlots);
    for (const link of links) {
      for (const [count, related] of shapes.values()) todo.set(store.context(count, related, link), [count, related, link]);
    }
    if (keptFor === `${held} ${period}`) for (const k of keptKeys) todo.delete(k);
    /** @type {[string, import('./hearth.js').Recommendation[]][]} */
    const lists = [];
    for (const [key, [count, related, item]] of Array.from(todo).slice(0, maxLists)) {
      try {
        lists.push([key, rank(count, item, related, period)]);
      } catch {
        // A link that is no item of a related slot: nothing to keep.
      }
    }
    await keepLists(held, period, lists);
  });
}

/**
 * Answers one call.
 * @param {WorkerRequest} msg
 */
function handle(msg) {
  if (!Object.hasOwn(handlers, msg.op)) {
    return Promise.reject(new HearthError(Code.unknownOp, `unknown op ${msg.op}`));
  }
  // TypeScript cannot tie handlers[msg.op] to msg's own member of the
  // union (a correlated union), so the call goes through the common type.
  const handler = /** @type {(msg: WorkerRequest) => Promise<WorkerCalls[WorkerOp]['value']>} */ (handlers[msg.op]);
  return handler(msg);
}

let queue = Promise.resolve();

self.onmessage = (e) => {
  const msg = /** @type {WorkerRequest} */ (e.data || {});
  queue = queue.then(async () => {
    /** @type {WorkerReply} */
    let reply;
    try {
      const value = await handle(msg);
      mark(msg.op);
      reply = { id: msg.id, ok: true, value };
    } catch (err) {
      const code = err instanceof HearthError ? err.code : Code.internal;
      reply = { id: msg.id, ok: false, error: { code, message: text(err) } };
    }
    self.postMessage(reply);
    keepAfter(msg.op);
  });
};
