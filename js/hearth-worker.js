// The Hearth Worker: it runs the Go engine (hearth.wasm, started by the
// toolchain's wasm_exec.js), owns the reader's profile in IndexedDB and
// answers the loader's calls. It exists only while personalization is on.
//
// Loader to Worker: {id, op, ...arguments}. Worker to loader: {id, ok: true,
// value} or {id, ok: false, error: {code, message}}, plus {event: 'error',
// code, message} for problems that belong to no call (a profile that could
// not be stored or read). Calls run one at a time in arrival order, so
// profile writes land in the order the engine made them.
//
// Several tabs of a site each run a Worker over the same stored profile.
// Every change is a read-modify-write under one Web Lock: the Worker reloads
// the stored profile, applies the change and stores the result before
// another Worker may start its own, so no tab overwrites another's events.
// A BroadcastChannel tells the other Workers that the stored profile
// changed, so that they reload it before they next rank or show it.

import { Op, encode, decode, engineEnv } from './protocol.js';
import * as store from './store.js';

/** @type {((req: Uint8Array) => Uint8Array) | null} */
let dispatch = null;

// The Web Lock around every read-modify-write of the stored profile.
const lockName = 'hearth-profile';

// A catalogue larger than this is refused while it downloads: the engine
// refuses to decode more (catalog.DefaultMaxBytes), and a reader's tab
// should not buffer an absurd response first.
const maxCatalogueBytes = 64 << 20;

// Whether another Worker changed the stored profile since this one read it.
let stale = false;
// Whether the stored profile that could not be decoded was reported, so that
// every later reload of the same bytes does not report it again.
let reportedBad = false;

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
function mark(step) {
  if (marked.has(step) || typeof performance === 'undefined' || !performance.mark) return;
  marked.add(step);
  performance.mark(`hearth:${step}`);
}
mark('worker');

class HearthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// call runs one operation of the engine. data, a Uint8Array, is the
// operation's bytes argument (a catalogue, a profile), passed beside the
// request rather than encoded into it: the engine copies it once.
function call(op, args = {}, data = undefined) {
  if (!dispatch) throw new HearthError('not-ready', 'the engine is not loaded');
  const resp = decode(dispatch(encode({ op, now: Date.now(), ...args }), data));
  if (resp.code) throw new HearthError(resp.code, resp.msg || resp.code);
  return resp;
}

function notify(code, message) {
  self.postMessage({ event: 'error', code, message });
}

/**
 * Runs f holding the profile lock, so that no other tab's Worker reads or
 * writes the stored profile in between. Without Web Locks (an insecure
 * context) it runs f directly.
 * @template T
 * @param {() => Promise<T>} f
 * @returns {Promise<T>}
 */
function exclusive(f) {
  const locks = self.navigator && self.navigator.locks;
  return locks ? locks.request(lockName, f) : f();
}

// persist stores the profile bytes of a response. A failed write leaves the
// previous stored profile intact (one transaction) and fails the call with
// code storage; the engine then reloads what is stored before its next
// call, so memory and storage never disagree for long.
async function persist(resp, extra) {
  if (!resp.profile) return;
  try {
    await store.write({ [store.Key.profile]: resp.profile, ...extra });
  } catch (err) {
    stale = true;
    throw new HearthError('storage', `store profile: ${(err && err.message) || err}`);
  }
  if (channel) channel.postMessage('changed');
}

// sync loads the stored profile into the engine (call it holding the lock).
// A missing profile loads as an empty one; an unreadable one is reported
// once and the engine starts from an empty profile, keeping a stored grant
// or denial. The engine applies retention and decay on every load; when
// that dropped something, the minimised profile is stored at once.
async function sync() {
  let stored;
  try {
    stored = await store.read([store.Key.profile, store.Key.consent]);
  } catch (err) {
    throw new HearthError('storage', `read profile: ${(err && err.message) || err}`);
  }
  stale = false;
  let bytes = stored.profile;
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  let loaded = null;
  if (bytes === undefined) {
    loaded = call(Op.loadProfile, {});
  } else if (!(bytes instanceof Uint8Array)) {
    loaded = badProfile(`load profile: stored value is ${typeof bytes}, not bytes`);
  } else {
    try {
      loaded = call(Op.loadProfile, {}, bytes);
      reportedBad = false;
    } catch (err) {
      loaded = badProfile(err.message);
    }
  }
  // The consent record is written with every grant and every opt-out
  // denial; it decides when the profile could not say.
  if (stored.consent === 'granted' || stored.consent === 'denied') {
    const view = call(Op.profile).view;
    if (view.consent !== stored.consent) call(Op.consent, { consent: stored.consent });
  }
  await persist(loaded);
}

function badProfile(message) {
  if (!reportedBad) notify('bad-profile', message);
  reportedBad = true;
  return call(Op.loadProfile, {});
}

/**
 * Runs one change of the profile as a read-modify-write under the lock.
 * @param {string} op
 * @param {Record<string, unknown>} args
 * @param {Record<string, unknown>} [extra] more entries stored with the profile
 */
function mutate(op, args, extra) {
  return exclusive(async () => {
    await sync();
    const resp = call(op, args);
    await persist(resp, extra);
    return resp;
  });
}

// fresh reloads the stored profile before a read-only call when another
// Worker changed it.
async function fresh() {
  if (stale) await exclusive(sync);
}

async function fetchBytes(url, code) {
  let resp;
  try {
    // The same request for every reader: no cookies, no credentials, no
    // referrer.
    resp = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (err) {
    throw new HearthError(code, `fetch ${url}: ${err && err.message}`);
  }
  if (!resp.ok) throw new HearthError(code, `fetch ${url}: HTTP ${resp.status}`);
  return resp;
}

/**
 * Reads a response body, refusing it beyond limit bytes.
 * @param {Response} resp
 * @param {number} limit
 * @param {string} code the error code of a refusal
 * @returns {Promise<Uint8Array>}
 */
async function readLimited(resp, limit, code) {
  const declared = Number(resp.headers.get('Content-Length'));
  if (declared > limit) throw new HearthError(code, `${resp.url}: ${declared} bytes, limit ${limit}`);
  if (!resp.body) return new Uint8Array(await resp.arrayBuffer());
  const reader = resp.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      reader.cancel();
      throw new HearthError(code, `${resp.url}: more than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function loadEngine(wasmURL, wasmExecURL) {
  // Compilation starts with the download, before importScripts holds this
  // thread while it fetches and runs wasm_exec.js; it needs no imports.
  const compiled = fetchBytes(wasmURL, 'wasm').then(compile);
  compiled.catch(() => {});
  try {
    importScripts(wasmExecURL);
  } catch (err) {
    throw new HearthError('wasm', `load ${wasmExecURL}: ${err && err.message}`);
  }
  mark('wasm-exec');
  const go = new self.Go();
  go.env = { ...engineEnv };
  let instance;
  try {
    const module = await compiled;
    mark('compiled');
    instance = await WebAssembly.instantiate(module, go.importObject);
  } catch (err) {
    if (err instanceof HearthError) throw err;
    throw new HearthError('wasm', `instantiate ${wasmURL}: ${err && err.message}`);
  }
  // run returns a promise that settles only when the program exits; main
  // registers hearthDispatch before it blocks, which is before run returns.
  go.run(instance);
  if (typeof self.hearthDispatch !== 'function') {
    throw new HearthError('wasm', 'the engine did not register hearthDispatch');
  }
  dispatch = self.hearthDispatch;
  mark('engine');
}

// compile compiles the engine while its bytes arrive. Compiling from the
// response rather than from bytes also lets the browser keep the compiled
// code beside the cached file (code caching), where it does so. Streaming
// needs the type application/wasm; a server that sends another type gets
// the engine compiled from its bytes.
async function compile(resp) {
  try {
    const type = (resp.headers.get('Content-Type') || '').split(';')[0].trim();
    if (typeof WebAssembly.compileStreaming === 'function' && type === 'application/wasm') {
      return await WebAssembly.compileStreaming(resp);
    }
    return await WebAssembly.compile(await resp.arrayBuffer());
  } catch (err) {
    throw new HearthError('wasm', `compile ${resp.url}: ${err && err.message}`);
  }
}

async function init({ catalogue, wasm, wasmExec, consent: mode, grant }) {
  const catalogueBytes = fetchBytes(catalogue, 'catalogue')
    .then((r) => readLimited(r, maxCatalogueBytes, 'bad-catalogue'))
    .then((b) => {
      mark('catalogue-bytes');
      return b;
    });
  // Keep a failed catalogue from being an unhandled rejection while the
  // engine loads; it is awaited below.
  catalogueBytes.catch(() => {});
  await loadEngine(wasm, wasmExec);
  const info = call(Op.loadCatalogue, { consent: mode }, await catalogueBytes).cat;
  mark('catalogue');
  if (grant) {
    await mutate(Op.consent, { consent: 'granted' }, { [store.Key.consent]: 'granted' });
  } else {
    try {
      await exclusive(sync);
    } catch (err) {
      // Storage is unavailable: the engine runs on an empty profile, and
      // every change fails with storage rather than overwrite a stored
      // profile it could not read.
      notify(err.code || 'storage', err.message);
    }
  }
  return { catalogue: info };
}

async function handle(msg) {
  switch (msg.op) {
    case 'init':
      return init(msg);
    case 'grant':
      await mutate(Op.consent, { consent: 'granted' }, { [store.Key.consent]: 'granted' });
      return null;
    case Op.clear:
      await exclusive(async () => {
        call(Op.clear);
        try {
          await store.remove();
        } catch (err) {
          throw new HearthError('storage', `delete profile: ${(err && err.message) || err}`);
        }
        if (channel) channel.postMessage('changed');
      });
      return null;
    case Op.track:
      return !!(await mutate(Op.track, { item: msg.item, kind: msg.kind, dwell: msg.dwell, topic: msg.topic })).learned;
    case Op.recommend:
      await fresh();
      return call(Op.recommend, { count: msg.count, item: msg.item, related: msg.related, seed: msg.seed }).recs || [];
    case Op.profile:
      await fresh();
      return call(Op.profile).view;
    case Op.export:
      await fresh();
      return call(Op.export).json;
    case Op.import:
      await mutate(Op.import, { json: msg.json });
      return null;
    case Op.forgetItem:
      await mutate(Op.forgetItem, { item: msg.item });
      return null;
    case Op.forgetEvent:
      await mutate(Op.forgetEvent, { index: msg.index });
      return null;
    case Op.forgetTopic:
      await mutate(Op.forgetTopic, { topic: msg.topic });
      return null;
    case Op.unmute:
      await mutate(Op.unmute, { topic: msg.topic });
      return null;
    case Op.unhide:
      await mutate(Op.unhide, { item: msg.item });
      return null;
    case Op.variety:
      await mutate(Op.variety, { variety: msg.variety });
      return null;
  }
  throw new HearthError('unknown-op', `unknown op ${msg.op}`);
}

let queue = Promise.resolve();

self.onmessage = (e) => {
  const msg = e.data || {};
  queue = queue.then(async () => {
    try {
      const value = await handle(msg);
      mark(msg.op);
      self.postMessage({ id: msg.id, ok: true, value });
    } catch (err) {
      const code = (err && err.code) || 'internal';
      self.postMessage({ id: msg.id, ok: false, error: { code, message: String((err && err.message) || err) } });
    }
  });
};
