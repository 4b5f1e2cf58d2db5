// The Hearth loader: the one script a publisher embeds.
//
//   <script type="module" src="/hearth/hearth.js"
//           data-catalogue="/hearth/catalogue.msgpack"></script>
//
// It asks consent.js, the owner of the reader's choice, whether
// personalization is on, and only then starts the Worker (hearth-worker.js),
// which downloads the engine and owns the profile. The messages with the
// Worker are declared in worker.d.ts.
// While it is off nothing is stored, no wasm is downloaded and every
// <hearth-recs> keeps the publisher's non-personal list it was served with.
// The public API is window.hearth (also this module's default export), typed
// in hearth.d.ts. Nothing here ever throws into the page: failures reject the
// API call that caused them, or become a hearth:error event, which is also
// written to the console once, in plain words with the fix, unless the
// script tag says data-quiet.

import { PageConsent } from './consent.js';
import { defineConsent } from './consent-element.js';
import { defineProfile } from './inspector.js';
import { Code, Op, defaultCount } from './ops.gen.js';
import { defineRecs, tagName } from './recs.js';
import * as store from './store.js';
import { watchRead } from './track.js';

/**
 * @typedef {import('./hearth.js').Consent} Consent
 * @typedef {import('./hearth.js').ErrorCode} ErrorCode
 * @typedef {import('./worker.js').WorkerCalls} WorkerCalls
 * @typedef {import('./worker.js').WorkerOp} WorkerOp
 * @typedef {import('./worker.js').WorkerReply} WorkerReply
 */

class HearthError extends Error {
  /**
   * @param {ErrorCode} code a stable error code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'HearthError';
    this.code = code;
  }
}

/**
 * Fires a hearth:<name> event on the document.
 * @template {'ready' | 'recommendations' | 'error'} N
 * @param {N} name
 * @param {DocumentEventMap[`hearth:${N}`]['detail']} detail
 */
function emit(name, detail) {
  document.dispatchEvent(new CustomEvent(`hearth:${name}`, { detail }));
}

// The script tag that loaded this module, and whether it asks for quiet.
const script = Array.from(document.scripts).find((s) => s.src === import.meta.url) ||
  document.querySelector('script[data-catalogue]');
const quiet = script instanceof HTMLElement && script.dataset.quiet !== undefined;

// What a publisher can do about each error a page reports, for the console.
// Codes not listed are Hearth's own bugs or the reader's browser.
/** @type {Partial<Record<ErrorCode, string>>} */
const fixes = {
  [Code.config]: 'Fix that attribute of the Hearth script tag.',
  [Code.worker]: "Serve hearth-worker.js beside hearth.js, from the page's origin; allow it in the CSP (worker-src 'self').",
  [Code.wasm]: "Serve hearth.wasm (as application/wasm) and wasm_exec.js beside hearth.js; allow 'wasm-unsafe-eval' in the CSP.",
  [Code.catalogue]: 'Check that data-catalogue is the URL of your catalogue and that your server sends it.',
  [Code.badCatalogue]: 'Rebuild it with hearth-catalog; hearth-catalog inspect says if its .br or .gz copy is stale.',
  [Code.storage]: "The reader's browser storage is unavailable or full: nothing to fix on the site.",
  [Code.badProfile]: "The reader's stored profile was unreadable and starts afresh: nothing to fix on the site.",
};

/** @type {Set<string>} */
const said = new Set();

/**
 * Writes a line to the console once per page, prefixed hearth:, unless
 * the script tag says data-quiet.
 * @param {'warn' | 'info'} level
 * @param {string} text
 */
function say(level, text) {
  if (quiet || said.has(text)) return;
  said.add(text);
  console[level](`hearth: ${text}`);
}

/**
 * Fires hearth:error and tells the console. An unknown item is told by the
 * page's URL check instead (checkURLs), which knows the fix.
 * @param {ErrorCode} code
 * @param {string} message
 */
function emitError(code, message) {
  emit('error', { code, message });
  if (code === Code.unknownItem) return;
  say('warn', `${message} (${code}). ${fixes[code] || "Readers see your site's usual order meanwhile."}`);
}

/**
 * The code and message of a thrown value: a HearthError's own, or internal.
 * @param {unknown} err
 * @returns {[ErrorCode, string]}
 */
function failure(err) {
  if (err instanceof HearthError) return [err.code, err.message];
  return [Code.internal, String((err instanceof Error && err.message) || err)];
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
    throw new HearthError(Code.storage, `${what}: ${failure(err)[1]}`);
  }
}

// Configuration comes from the script tag's data-* attributes.
function readConfig() {
  /** @type {DOMStringMap} */
  const data = script instanceof HTMLElement ? script.dataset : {};
  /**
   * @param {string} name
   * @param {string | undefined} value
   * @param {number} min
   * @param {number} max
   * @param {number} fallback
   */
  const number = (name, value, min, max, fallback) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (Number.isFinite(n) && n >= min && n <= max) return n;
    emitError(Code.config, `data-${name} must be a number within [${min}, ${max}], not "${value}"`);
    return fallback;
  };
  /** @type {import('./consent.js').Source} */
  let consent = 'opt-in';
  if (data.consent === 'opt-out' || data.consent === 'tcf') consent = data.consent;
  else if (data.consent && data.consent !== 'opt-in') {
    emitError(Code.config, `data-consent must be "opt-in", "opt-out" or "tcf", not "${data.consent}"; it is opt-in meanwhile`);
  }
  /** @type {import('./consent.js').Mode} */
  let fallback = 'opt-in';
  if (data.consentFallback === 'opt-out') fallback = 'opt-out';
  else if (data.consentFallback && data.consentFallback !== 'opt-in') {
    emitError(Code.config, `data-consent-fallback must be "opt-in" or "opt-out", not "${data.consentFallback}"`);
  }
  if (!data.catalogue) emitError(Code.config, 'data-catalogue is missing on the Hearth script tag');
  return {
    catalogue: data.catalogue ? new URL(data.catalogue, document.baseURI).href : '',
    consent,
    fallback,
    readDwell: number('read-dwell', data.readDwell, 0, 3600, 15),
    readScroll: number('read-scroll', data.readScroll, 0, 1, 0.5),
    worker: new URL('hearth-worker.js', import.meta.url).href,
    wasm: new URL('hearth.wasm', import.meta.url).href,
    wasmExec: new URL('wasm_exec.js', import.meta.url).href,
  };
}

const config = readConfig();
// The one owner of consent: the reader's recorded choice, the page's default
// and Global Privacy Control (a browser may not know the property).
const consent = new PageConsent(config.consent,
  /** @type {{globalPrivacyControl?: boolean}} */ (navigator).globalPrivacyControl === true, config.fallback);
// The page's period: the engine ranks at its start, with its seed, so that
// its lists hold all period long (store.periodMs).
const period = Math.floor(Date.now() / store.periodMs);

/** @type {Worker | null} */
let worker = null;
let nextId = 1;
/** @type {Map<number, {resolve: (value: any) => void, reject: (err: HearthError) => void}>} */
const pending = new Map();
/** @type {Set<import('./recs.js').HearthRecs>} */
const slots = new Set();
let started = false;
let stopRead = () => {};

/**
 * Calls the Worker.
 * @template {WorkerOp} K
 * @param {K} op
 * @param {WorkerCalls[K]['args']} args
 * @returns {Promise<WorkerCalls[K]['value']>}
 */
function rpc(op, args) {
  const w = worker;
  if (!w) return Promise.reject(new HearthError(Code.off, 'personalization is off'));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, op, ...args });
  });
}

/**
 * @param {ErrorCode} code
 * @param {string} message
 */
function stopWorker(code, message) {
  if (worker) worker.terminate();
  worker = null;
  stopRead();
  for (const { reject } of pending.values()) reject(new HearthError(code, message));
  pending.clear();
  for (const el of slots) el.reset();
}

async function startWorker() {
  let w;
  try {
    w = new Worker(config.worker, { name: 'hearth' });
  } catch (err) {
    throw new HearthError(Code.worker, `start worker: ${failure(err)[1]}`);
  }
  worker = w;
  w.onmessage = (e) => {
    const msg = /** @type {WorkerReply} */ (e.data || {});
    if ('event' in msg) return emitError(msg.code, msg.message);
    const call = pending.get(msg.id);
    if (!call) return;
    pending.delete(msg.id);
    if (msg.ok) call.resolve(msg.value);
    else call.reject(new HearthError(msg.error.code, msg.error.message));
  };
  w.onerror = (e) => {
    e.preventDefault();
    stopWorker(Code.worker, `worker: ${e.message || 'failed to load'}`);
  };
  const { catalogue, wasm, wasmExec } = config;
  try {
    // The Worker runs only while personalization is on, and tells the
    // engine so.
    await rpc('init', { catalogue, wasm, wasmExec, consent: 'granted' });
  } catch (err) {
    stopWorker(...failure(err));
    throw err;
  }
}

/** @param {import('./recs.js').HearthRecs} el */
async function fill(el) {
  if (!worker) return;
  try {
    const recs = await rpc(Op.recommend, {
      count: el.count,
      related: el.related,
      item: canonical(),
      period,
      keep: true,
    });
    // The list shown from what was kept is the engine's: nothing changes.
    if (!worker || el.same(recs)) return;
    el.show(recs);
    emit('recommendations', { slot: el.slotName, related: el.related, items: recs, kept: false });
  } catch (err) {
    const [code, message] = failure(err);
    if (code !== Code.off) emitError(code, message);
  }
}

/**
 * Shows at once each slot's list that the Worker kept (store.Recs), when
 * the engine would rank it now: on the stored profile as it is, in this
 * period, with the catalogue and engine the Worker loads. The Worker ranks
 * again meanwhile, and an equal list changes nothing (fill).
 * @param {Record<string, any>} stored the profile and the kept lists
 */
async function showKept(stored) {
  /** @type {store.Recs | undefined} */
  const kept = stored[store.Key.recs];
  if (!kept || kept.period !== period || !kept.profile || kept.profile !== store.digest(stored[store.Key.profile])) return;
  const found = Array.from(slots, (el) => /** @type {const} */ ([el, kept.lists[store.context(el.count, el.related, canonical())]]));
  if (!found.some(([, recs]) => recs)) return;
  const versions = await Promise.all([served(config.catalogue), served(config.wasm)]);
  if (versions[0] !== kept.catalogue || versions[1] !== kept.engine) return;
  for (const [el, recs] of found) {
    // Not once the engine has answered, nor after a switch off.
    if (!recs || !worker || el.dataset.hearthState !== 'fallback') continue;
    el.show(recs);
    emit('recommendations', { slot: el.slotName, related: el.related, items: recs, kept: true });
  }
}

/**
 * The version (store.versionOf) of the file at url that the Worker is about
 * to load: the HTTP cache's copy while it stays fresh for the next 15
 * seconds (the Worker takes it from there), else the server's answer to a
 * HEAD request; '' when neither tells. The age is read from the copy's
 * Date, so a device clock behind the server's by more than a few seconds
 * counts it as stale and asks the server.
 * @param {string} url
 * @returns {Promise<string>}
 */
async function served(url) {
  /** @type {RequestInit} */
  const opts = { credentials: 'omit', referrerPolicy: 'no-referrer' };
  try {
    const r = await fetch(url, { ...opts, cache: 'only-if-cached', mode: 'same-origin' });
    r.body?.cancel();
    const cc = r.headers.get('Cache-Control') || '';
    const max = /max-age=(\d+)/.exec(cc);
    const age = (Date.now() - Date.parse(r.headers.get('Date') || '')) / 1000 + Number(r.headers.get('Age') || 0);
    if (r.ok && max && !/no-cache|no-store/.test(cc) && age > -5 && age + 15 < Number(max[1])) return store.versionOf(r);
  } catch {
    // Not cached, or on another origin: the server says.
  }
  try {
    const r = await fetch(url, { ...opts, method: 'HEAD', cache: 'no-cache' });
    return r.ok ? store.versionOf(r) : '';
  } catch {
    return '';
  }
}

/** Deletes the kept lists (store.Recs), which personalization switched off leaves no use for. */
function dropKept() {
  return store.update([], () => ({ result: undefined, remove: [store.Key.recs] }), false);
}

function canonical() {
  const link = document.querySelector('link[rel="canonical"]');
  return link instanceof HTMLLinkElement ? link.href : location.href.split('#')[0];
}

// autoTrack records a view of the current page when it is a catalogue item,
// then a read once the reader has dwelt and scrolled. It resolves whether
// the page is an item (undefined when the view failed otherwise).
/** @returns {Promise<boolean | undefined>} */
async function autoTrack() {
  const item = canonical();
  try {
    await rpc(Op.track, { kind: 'view', item });
  } catch (err) {
    // Pages that are not catalogue items are not tracked (checkURLs says
    // so on the console).
    const [code, message] = failure(err);
    if (code === Code.unknownItem) return false;
    if (code !== Code.off) emitError(code, message);
    return;
  }
  stopRead = watchRead({ dwell: config.readDwell, scroll: config.readScroll }, (dwell) => {
    rpc(Op.track, { kind: 'read', item, dwell }).catch((err) => {
      const [code, message] = failure(err);
      if (code !== Code.off) emitError(code, message);
    });
  });
  return true;
}

/**
 * A URL up to its folder, as written (a site-relative URL stays one): what
 * a -url-prefix rewrite names.
 * @param {string} url
 */
function folder(url) {
  const u = new URL(url, document.baseURI);
  const dir = u.pathname.slice(0, u.pathname.lastIndexOf('/') + 1);
  return url.startsWith('/') ? dir : u.origin + dir;
}

let checked = false;

/**
 * Tells the console, once per page, when the page is no catalogue item and
 * when most recommended links leave the site: item URLs that are not the
 * pages' own (a feed proxy's, another host's) match no page, and
 * <hearth-recs> would replace the publisher's own links with them. Only the
 * engine knows the item URLs, so this runs after consent, once the page's
 * slots are filled.
 * @param {boolean | undefined} isItem
 */
async function checkURLs(isItem) {
  if (quiet || checked || !worker) return;
  checked = true;
  let urls = Array.from(slots, (el) => (el.recommendations || []).map((r) => r.url)).flat();
  if (!urls.length && isItem === false) {
    try {
      urls = (await rpc(Op.recommend, { count: defaultCount, related: false, period })).map((r) => r.url);
    } catch {
      return;
    }
  }
  const site = location.origin;
  const off = urls.filter((u) => new URL(u, document.baseURI).origin !== site);
  const example = off[0] || urls[0];
  // A page with a related slot is an article by the publisher's word.
  const related = Array.from(slots).some((el) => el.related);
  // The rewrite's new half: where this page is, in the form item URLs take.
  const here = related ? folder(canonical()) : `${site}/`;
  const fix = example
    ? `rebuild the catalogue with -url-prefix ${folder(example)}=${example.startsWith('/') ? new URL(here).pathname : here} ` +
      `(the folder of your pages); hearth-catalog -site ${site} lists the URLs to fix`
    : 'rebuild the catalogue from the feed of these pages';
  const mostOff = off.length * 2 > urls.length;
  if (isItem === false) {
    // With most URLs elsewhere no page of the site can match. Otherwise a
    // page without a related slot is likely one that lists articles, and
    // only worth a note.
    say(related || mostOff ? 'warn' : 'info',
      `this page (${canonical()}) is not in the catalogue, so reading it is not tracked; ` +
      `item URLs look like ${example || '(none)'}. ` +
      `If it is an article, ${fix}.`);
  }
  if (mostOff) {
    say('warn', `${off.length} of ${urls.length} recommended links lead off this site (${off[0]}): ` +
      `<hearth-recs> shows them in place of your own links. If your pages are on ${site}, ${fix}.`);
  }
}

/** @param {MouseEvent} e */
function onClick(e) {
  const a = e.target instanceof Element ? e.target.closest(`${tagName} a[data-hearth-id]`) : null;
  if (!(a instanceof HTMLElement) || !worker) return;
  // Best effort: the page may unload before the Worker stores the click.
  rpc(Op.track, { kind: 'click', item: a.dataset.hearthId }).catch(() => {});
}

async function personalize() {
  await startWorker();
  // The Worker answers in arrival order: the slots are ranked first, on the
  // profile the Worker has just loaded, and the view is recorded after
  // them (a read-modify-write of the stored profile, which the first
  // recommendations need not wait for); each slot names the page, so that
  // its list leaves the page out all the same.
  const fills = Array.from(slots, fill);
  const [isItem] = await Promise.all([autoTrack(), ...fills]);
  // Not awaited: the page's diagnosis is no part of its start.
  checkURLs(isItem);
}

/**
 * Starts or stops the engine as the CMP's signal says (data-consent="tcf").
 * A withdrawal deletes what Hearth stored: a denial is the absence of data.
 */
async function followCMP() {
  updatePrompts();
  if (consent.state === 'granted') {
    if (!worker && config.catalogue) await personalize();
    return;
  }
  stopWorker(Code.off, 'consent was withdrawn in the consent management platform');
  if (consent.cmp === 'denied') await storage('delete profile', () => store.remove());
  else await storage('delete kept lists', dropKept);
}

// CMP changes apply one at a time, in order.
let following = Promise.resolve();
function onCMP() {
  following = following.then(() => ready).then(followCMP).catch((err) => emitError(...failure(err)));
}

/** @returns {Promise<import('./hearth.js').ReadyDetail>} */
async function start() {
  // Read beside the consent, used only once it is on.
  /** @type {Promise<Record<string, any>>} */
  const stored = store.read([store.Key.profile, store.Key.recs]).catch(() => ({}));
  try {
    await storage('read consent', () => consent.load());
  } catch (err) {
    // Without readable storage the publisher's default decides; the
    // Worker reports its own storage failures.
    emitError(...failure(err));
  }
  if (config.consent === 'tcf' && !(await consent.followCMP(onCMP))) {
    emitError(Code.config, 'data-consent="tcf" needs a consent management platform (its __tcfapi stub before hearth.js); personalization stays off');
  }
  decided = true;
  updatePrompts();
  if (consent.cmp === 'denied') {
    // The CMP has no consent: whatever an earlier consent left is deleted.
    try {
      await storage('delete profile', () => store.remove());
    } catch (err) {
      emitError(...failure(err));
    }
  }
  if (consent.state === 'granted' && config.catalogue) {
    const personal = personalize();
    await showKept(await stored).catch(() => {});
    try {
      await personal;
    } catch (err) {
      emitError(...failure(err));
    }
  } else if ((await stored)[store.Key.recs]) {
    // Lists kept while it was on (GPC or a denial since) go.
    await storage('delete kept lists', dropKept).catch((err) => emitError(...failure(err)));
  }
  started = true;
  const detail = { consent: consent.state, personalized: worker !== null };
  emit('ready', detail);
  return detail;
}

/**
 * @param {Consent} value
 * @param {boolean} [answered] the reader answered <hearth-consent>
 */
async function setConsent(value, answered = false) {
  await ready;
  try {
    if (value === 'granted') {
      if (!worker && !config.catalogue) throw new HearthError(Code.config, 'data-catalogue is missing');
      if (consent.refusal) throw new HearthError(Code.off, `personalization stays off: ${consent.refusal}`);
      await storage('store consent', () => consent.grant());
      if (!worker) await personalize();
      return;
    }
    if (value !== 'denied') {
      throw new HearthError(Code.badArgument, `setConsent takes "granted" or "denied", not "${value}"`);
    }
    stopWorker(Code.off, 'personalization was switched off');
    await storage('delete profile', () => consent.deny(answered));
  } finally {
    updatePrompts();
  }
}

async function clear() {
  await ready;
  // This page's view was recorded before the reader cleared everything; a
  // read of it must not bring a trace back.
  stopRead();
  if (worker) await rpc('clear', {});
  else await storage('delete profile', () => store.remove());
  // The consent record went with the database: the default decides again.
  consent.forget();
  updatePrompts();
  if (consent.state === 'denied') {
    stopWorker(Code.off, 'the profile was cleared');
  } else {
    await Promise.all(Array.from(slots, fill));
  }
}

/**
 * Calls the Worker once ready, or resolves offValue while it does not run.
 * @template {WorkerOp} K
 * @template V
 * @param {K} op
 * @param {WorkerCalls[K]['args']} args
 * @param {V} offValue
 * @returns {Promise<WorkerCalls[K]['value'] | V>}
 */
async function onWorker(op, args, offValue) {
  await ready;
  if (!worker) return offValue;
  return rpc(op, args);
}

// <hearth-consent> asks once the choice is read (decided), and looks again
// after every change.
let decided = false;
const updatePrompts = defineConsent({
  ask: () => decided && consent.ask,
  on: () => consent.state === 'granted',
  answer: (answer) => setConsent(answer, true),
});

const ready = start();

/** @type {import('./hearth.js').Hearth} */
const api = {
  ready,
  get consent() {
    return consent.state;
  },
  get personalized() {
    return worker !== null;
  },
  setConsent: (value) => setConsent(value),
  track: (event) => {
    if (!event) return Promise.reject(new HearthError(Code.badArgument, 'track takes an event: {kind, item, dwell, topic}'));
    const { kind, item, dwell, topic } = event;
    return onWorker(Op.track, { kind, item, dwell, topic }, false);
  },
  recommend: ({ count = defaultCount, item, related = false } = {}) =>
    onWorker(Op.recommend, { count, item, related, period }, []),
  profile: () => onWorker(Op.profile, {}, null),
  export: () => onWorker(Op.export, {}, null),
  import: async (json) => {
    await ready;
    if (!worker) throw new HearthError(Code.off, 'switch personalization on before importing a profile');
    await rpc(Op.import, { json: typeof json === 'string' ? json : JSON.stringify(json) });
  },
  clear,
  forget: (what) => {
    // One of the three, checked here rather than by the type.
    const { item, event, topic } = /** @type {{item?: string, event?: number, topic?: string}} */ (what || {});
    if (item !== undefined) return onWorker(Op.forgetItem, { item }, null).then(() => {});
    if (event !== undefined) return onWorker(Op.forgetEvent, { index: event }, null).then(() => {});
    if (topic !== undefined) return onWorker(Op.forgetTopic, { topic }, null).then(() => {});
    return Promise.reject(new HearthError(Code.badArgument, 'forget takes {item}, {event} or {topic}'));
  },
  setVariety: (variety) => onWorker(Op.variety, { variety }, null).then(() => {}),
  unmute: (topic) => onWorker(Op.unmute, { topic }, null).then(() => {}),
  unhide: (item) => onWorker(Op.unhide, { item }, null).then(() => {}),
};
const hearth = Object.freeze(api);

defineRecs((el) => {
  slots.add(el);
  if (started) fill(el);
});
defineProfile(hearth);
document.addEventListener('click', onClick, true);
window.hearth = hearth;

export default hearth;
export { hearth };
