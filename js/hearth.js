// The Hearth loader: the one script a publisher embeds.
//
//   <script type="module" src="/hearth/hearth.js"
//           data-catalogue="/hearth/catalogue.msgpack"></script>
//
// It decides consent, and only when personalization is on does it start the
// Worker (hearth-worker.js), which downloads the engine and owns the profile.
// While it is off nothing is stored, no wasm is downloaded and every
// <hearth-recs> keeps the publisher's non-personal list it was served with.
// The public API is window.hearth (also this module's default export), typed
// in hearth.d.ts. Nothing here ever throws into the page: failures reject the
// API call that caused them, or become a hearth:error event.

import { defineProfile } from './inspector.js';
import { defineRecs, tagName } from './recs.js';
import * as store from './store.js';
import { watchRead } from './track.js';

class HearthError extends Error {
  /**
   * @param {string} code a stable error code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'HearthError';
    this.code = code;
  }
}

function emit(name, detail) {
  document.dispatchEvent(new CustomEvent(`hearth:${name}`, { detail }));
}

function emitError(code, message) {
  emit('error', { code, message });
}

/**
 * Runs a storage operation of the loader; a failure (IndexedDB missing,
 * blocked or full) becomes a HearthError with code storage.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} f
 * @returns {Promise<T>}
 */
async function storage(what, f) {
  try {
    return await f();
  } catch (err) {
    throw new HearthError('storage', `${what}: ${(err && err.message) || err}`);
  }
}

// Configuration comes from the script tag's data-* attributes.
function readConfig() {
  const script = Array.from(document.querySelectorAll('script[src]')).find((s) => s.src === import.meta.url) ||
    document.querySelector('script[data-catalogue]');
  const data = script ? script.dataset : {};
  const number = (name, value, min, max, fallback) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    emitError('config', `data-${name} must be a number within [${min}, ${max}], not "${value}"`);
    return fallback;
  };
  let consent = data.consent || 'opt-in';
  if (consent !== 'opt-in' && consent !== 'opt-out') {
    emitError('config', `data-consent must be "opt-in" or "opt-out", not "${consent}"`);
    consent = 'opt-in';
  }
  if (!data.catalogue) emitError('config', 'data-catalogue is missing on the Hearth script tag');
  return {
    catalogue: data.catalogue ? new URL(data.catalogue, document.baseURI).href : '',
    consent,
    readDwell: number('read-dwell', data.readDwell, 0, 3600, 15),
    readScroll: number('read-scroll', data.readScroll, 0, 1, 0.5),
    worker: new URL('hearth-worker.js', import.meta.url).href,
    wasm: new URL('hearth.wasm', import.meta.url).href,
    wasmExec: new URL('wasm_exec.js', import.meta.url).href,
  };
}

const config = readConfig();
const gpc = navigator.globalPrivacyControl === true;
// A session's exploration seed; the Worker needs no other randomness.
const seed = Math.floor(Math.random() * 0x100000000);

let consent = 'denied';
/** @type {Worker | null} */
let worker = null;
let nextId = 1;
/** @type {Map<number, {resolve: Function, reject: Function}>} */
const pending = new Map();
/** @type {Set<import('./recs.js').HearthRecs>} */
const slots = new Set();
let started = false;
let stopRead = () => {};

// decide turns the stored choice, the publisher's default and GPC into the
// effective consent. Only an explicit grant overrides GPC.
function decide(stored) {
  if (stored === 'granted') return 'granted';
  if (stored === 'denied' || gpc) return 'denied';
  return config.consent === 'opt-out' ? 'granted' : 'denied';
}

function rpc(op, args = {}) {
  if (!worker) return Promise.reject(new HearthError('off', 'personalization is off'));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, op, ...args });
  });
}

function stopWorker(code, message) {
  if (worker) worker.terminate();
  worker = null;
  stopRead();
  for (const { reject } of pending.values()) reject(new HearthError(code, message));
  pending.clear();
  for (const el of slots) el.reset();
}

async function startWorker(grant) {
  try {
    worker = new Worker(config.worker, { name: 'hearth' });
  } catch (err) {
    worker = null;
    throw new HearthError('worker', `start worker: ${err && err.message}`);
  }
  worker.onmessage = (e) => {
    const msg = e.data || {};
    if (msg.event === 'error') return emitError(msg.code, msg.message);
    const call = pending.get(msg.id);
    if (!call) return;
    pending.delete(msg.id);
    if (msg.ok) call.resolve(msg.value);
    else call.reject(new HearthError(msg.error.code, msg.error.message));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    stopWorker('worker', `worker: ${e.message || 'failed to load'}`);
  };
  const { catalogue, wasm, wasmExec } = config;
  try {
    // The page's default is the engine's default too: the loader decided
    // with it before it could read the catalogue's policy.
    await rpc('init', { catalogue, wasm, wasmExec, consent: config.consent, grant });
  } catch (err) {
    stopWorker(err.code, err.message);
    throw err;
  }
}

async function fill(el) {
  if (!worker) return;
  try {
    const recs = await rpc('recommend', {
      count: el.count,
      related: el.related,
      item: canonical(),
      seed,
    });
    if (!worker) return;
    el.show(recs);
    emit('recommendations', { slot: el.slotName, related: el.related, items: recs });
  } catch (err) {
    if (err.code !== 'off') emitError(err.code || 'internal', err.message);
  }
}

function canonical() {
  const link = document.querySelector('link[rel="canonical"]');
  return link ? link.href : location.href.split('#')[0];
}

// autoTrack records a view of the current page when it is a catalogue item,
// then a read once the reader has dwelt and scrolled.
async function autoTrack() {
  const item = canonical();
  try {
    await rpc('track', { kind: 'view', item });
  } catch (err) {
    // Pages that are not catalogue items are simply not tracked.
    if (err.code !== 'unknown-item' && err.code !== 'off') emitError(err.code, err.message);
    return;
  }
  stopRead = watchRead({ dwell: config.readDwell, scroll: config.readScroll }, (dwell) => {
    rpc('track', { kind: 'read', item, dwell }).catch((err) => {
      if (err.code !== 'off') emitError(err.code, err.message);
    });
  });
}

function onClick(e) {
  const a = e.target instanceof Element ? e.target.closest(`${tagName} a[data-hearth-id]`) : null;
  if (!a || !worker) return;
  // Best effort: the page may unload before the Worker stores the click.
  rpc('track', { kind: 'click', item: a.dataset.hearthId }).catch(() => {});
}

async function personalize(grant) {
  await startWorker(grant);
  consent = 'granted';
  // The Worker answers in arrival order: the slots are ranked first, on the
  // profile the Worker has just loaded, and the view is recorded after
  // them (a read-modify-write of the stored profile, which the first
  // recommendations need not wait for); each slot names the page, so that
  // its list leaves the page out all the same.
  await Promise.all([...Array.from(slots, fill), autoTrack()]);
}

async function start() {
  let stored = {};
  try {
    stored = await storage('read consent', () => store.read([store.Key.consent]));
  } catch (err) {
    // Without readable storage the publisher's default decides; the
    // Worker reports its own storage failures.
    emitError(err.code, err.message);
  }
  consent = decide(stored.consent);
  if (consent === 'granted' && config.catalogue) {
    try {
      await personalize(false);
    } catch (err) {
      emitError(err.code || 'internal', err.message);
    }
  }
  started = true;
  const detail = { consent, personalized: worker !== null };
  emit('ready', detail);
  return detail;
}

async function setConsent(value) {
  await ready;
  if (value === 'granted') {
    if (worker) {
      await rpc('grant');
      consent = 'granted';
      return;
    }
    if (!config.catalogue) throw new HearthError('config', 'data-catalogue is missing');
    await personalize(true);
    return;
  }
  if (value !== 'denied') {
    throw new HearthError('bad-argument', `setConsent takes "granted" or "denied", not "${value}"`);
  }
  stopWorker('off', 'personalization was switched off');
  consent = 'denied';
  await storage('delete profile', () => store.remove());
  // Under an opt-out default the denial must be remembered, or the next page
  // would switch personalization back on; it is stored without any profile.
  if (config.consent === 'opt-out' && !gpc) {
    await storage('store denial', () => store.write({ [store.Key.consent]: 'denied' }));
  }
}

async function clear() {
  await ready;
  // This page's view was recorded before the reader cleared everything; a
  // read of it must not bring a trace back.
  stopRead();
  if (worker) await rpc('clear');
  else await storage('delete profile', () => store.remove());
  // Without a stored grant the default decides again.
  if (decide(undefined) === 'denied') {
    stopWorker('off', 'the profile was cleared');
    consent = 'denied';
  } else {
    await Promise.all(Array.from(slots, fill));
  }
}

async function onWorker(op, args, offValue) {
  await ready;
  if (!worker) return offValue;
  return rpc(op, args);
}

const ready = start();

/** @type {import('./hearth.d.ts').Hearth} */
const hearth = Object.freeze({
  ready,
  get consent() {
    return consent;
  },
  get personalized() {
    return worker !== null;
  },
  setConsent,
  track: ({ kind, item, dwell, topic } = {}) => onWorker('track', { kind, item, dwell, topic }, false),
  recommend: ({ count = 5, slot, item, related = false } = {}) =>
    onWorker('recommend', { count, slot, item, related, seed }, []),
  profile: () => onWorker('profile', {}, null),
  export: () => onWorker('export', {}, null),
  import: async (json) => {
    await ready;
    if (!worker) throw new HearthError('off', 'switch personalization on before importing a profile');
    return rpc('import', { json: typeof json === 'string' ? json : JSON.stringify(json) });
  },
  clear,
  forget: ({ item, event, topic } = {}) => {
    if (item !== undefined) return onWorker('forget-item', { item }, null);
    if (event !== undefined) return onWorker('forget-event', { index: event }, null);
    if (topic !== undefined) return onWorker('forget-topic', { topic }, null);
    return Promise.reject(new HearthError('bad-argument', 'forget takes {item}, {event} or {topic}'));
  },
  setVariety: (variety) => onWorker('variety', { variety }, null),
  unmute: (topic) => onWorker('unmute', { topic }, null),
  unhide: (item) => onWorker('unhide', { item }, null),
});

defineRecs((el) => {
  slots.add(el);
  if (started) fill(el);
});
defineProfile(hearth);
document.addEventListener('click', onClick, true);
window.hearth = hearth;

export default hearth;
export { hearth };
