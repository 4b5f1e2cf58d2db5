// The Hearth Worker: it runs the Go engine (hearth.wasm, started by the
// toolchain's wasm_exec.js), owns the reader's profile in IndexedDB and
// answers the loader's calls. It exists only while personalization is on.
//
// Loader to Worker: {id, op, ...arguments}. Worker to loader: {id, ok: true,
// value} or {id, ok: false, error: {code, message}}, plus {event: 'error',
// code, message} for problems that belong to no call (a profile that could
// not be stored or read). Calls run one at a time in arrival order, so
// profile writes land in the order the engine made them.

import { Op, encode, decode } from './protocol.js';
import * as store from './store.js';

/** @type {((req: Uint8Array) => Uint8Array) | null} */
let dispatch = null;

class HearthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function call(op, args = {}) {
  if (!dispatch) throw new HearthError('not-ready', 'the engine is not loaded');
  const resp = decode(dispatch(encode({ op, now: Date.now(), ...args })));
  if (resp.code) throw new HearthError(resp.code, resp.msg || resp.code);
  return resp;
}

function notify(code, message) {
  self.postMessage({ event: 'error', code, message });
}

// persist stores the profile bytes of a response. A failed write is
// reported but leaves the previous stored profile intact (one transaction).
async function persist(resp, extra) {
  if (!resp.profile) return;
  try {
    await store.write({ [store.Key.profile]: resp.profile, ...extra });
  } catch (err) {
    notify('storage', `store profile: ${err && err.message}`);
  }
}

async function fetchBytes(url, code) {
  let resp;
  try {
    // The same request for every reader: no cookies, no credentials.
    resp = await fetch(url, { credentials: 'omit' });
  } catch (err) {
    throw new HearthError(code, `fetch ${url}: ${err && err.message}`);
  }
  if (!resp.ok) throw new HearthError(code, `fetch ${url}: HTTP ${resp.status}`);
  return resp;
}

async function loadEngine(wasmURL, wasmExecURL) {
  try {
    importScripts(wasmExecURL);
  } catch (err) {
    throw new HearthError('wasm', `load ${wasmExecURL}: ${err && err.message}`);
  }
  const resp = await fetchBytes(wasmURL, 'wasm');
  const go = new self.Go();
  let result;
  try {
    result = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  } catch (err) {
    throw new HearthError('wasm', `instantiate ${wasmURL}: ${err && err.message}`);
  }
  // run returns a promise that settles only when the program exits; main
  // registers hearthDispatch before it blocks, which is before run returns.
  go.run(result.instance);
  if (typeof self.hearthDispatch !== 'function') {
    throw new HearthError('wasm', 'the engine did not register hearthDispatch');
  }
  dispatch = self.hearthDispatch;
}

async function init({ catalogue, wasm, wasmExec, grant }) {
  const catalogueBytes = fetchBytes(catalogue, 'catalogue').then((r) => r.arrayBuffer());
  // Keep a failed catalogue from being an unhandled rejection while the
  // engine loads; it is awaited below.
  catalogueBytes.catch(() => {});
  await loadEngine(wasm, wasmExec);
  const info = call(Op.loadCatalogue, { bytes: new Uint8Array(await catalogueBytes) }).cat;
  let stored = {};
  try {
    stored = await store.read([store.Key.profile, store.Key.consent]);
  } catch (err) {
    notify('storage', `read profile: ${err && err.message}`);
  }
  if (stored.profile) {
    try {
      call(Op.loadProfile, { bytes: stored.profile });
    } catch (err) {
      // The engine starts from an empty profile; the unreadable one stays
      // stored until the next change replaces it.
      notify(err.code || 'bad-profile', err.message);
    }
  }
  if (grant) {
    await consent('granted');
  } else if (stored.consent === 'granted') {
    // The grant is stored beside the profile; an unreadable profile must
    // not make the engine forget it. The next change stores both again.
    call(Op.consent, { consent: 'granted' });
  }
  return { catalogue: info, consent: grant ? 'granted' : stored.consent || '' };
}

async function consent(value) {
  const resp = call(Op.consent, { consent: value });
  await persist(resp, value === 'granted' ? { [store.Key.consent]: 'granted' } : {});
}

async function handle(msg) {
  switch (msg.op) {
    case 'init':
      return init(msg);
    case 'grant':
      return consent('granted');
    case Op.clear:
      call(Op.clear);
      await store.remove();
      return null;
    case Op.track: {
      const resp = call(Op.track, { item: msg.item, kind: msg.kind, dwell: msg.dwell, topic: msg.topic });
      await persist(resp);
      return !!resp.learned;
    }
    case Op.recommend:
      return call(Op.recommend, { count: msg.count, item: msg.item, related: msg.related, seed: msg.seed }).recs || [];
    case Op.profile:
      return call(Op.profile).view;
    case Op.export:
      return call(Op.export).json;
    case Op.import:
      await persist(call(Op.import, { json: msg.json }));
      return null;
    case Op.forgetItem:
      await persist(call(Op.forgetItem, { item: msg.item }));
      return null;
    case Op.forgetEvent:
      await persist(call(Op.forgetEvent, { index: msg.index }));
      return null;
    case Op.forgetTopic:
      await persist(call(Op.forgetTopic, { topic: msg.topic }));
      return null;
    case Op.variety:
      await persist(call(Op.variety, { variety: msg.variety }));
      return null;
  }
  throw new HearthError('unknown-op', `unknown op ${msg.op}`);
}

let queue = Promise.resolve();

self.onmessage = (e) => {
  const msg = e.data || {};
  queue = queue.then(async () => {
    try {
      self.postMessage({ id: msg.id, ok: true, value: await handle(msg) });
    } catch (err) {
      const code = (err && err.code) || 'internal';
      self.postMessage({ id: msg.id, ok: false, error: { code, message: String((err && err.message) || err) } });
    }
  });
};
