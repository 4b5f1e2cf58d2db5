// The side-by-side benchmark: the Go engine (the shipped hearth.wasm,
// called through hearthDispatch exactly as Hearth's Worker calls it) and
// the JavaScript reference (jsref/rank.js) rank the same catalogue for the
// same profile, in this one Worker, alternately, so that both run on the
// same thread under the same conditions. The page is cross-origin isolated
// so that performance.now() has its fine (5 µs) resolution.
//
// Timed for the engine, per call: encoding the recommend request, the
// dispatch into the wasm (request decoding, rank.Engine.Recommend with every
// stage, response encoding, copies in and out of wasm memory) and decoding
// the response: what Hearth's Worker does for hearth.recommend().
// Timed for the reference, per call: recommend() (the same pipeline:
// interests, history and user vector, candidates, scoring, diversification,
// exploration and reasons) on the decoded catalogue and profile.
//
// After every timed pair (outside the timings) the two lists are compared,
// items and reasons: the report counts the pairs that differ.

import '/hearth/wasm_exec.js';
import { encode, decode } from '/bench/js/protocol.js';
import * as ref from '/bench/static/jsref/rank.js';

async function bytes(url) {
  const resp = await fetch(url, { credentials: 'omit' });
  if (!resp.ok) throw new Error(`fetch ${url}: HTTP ${resp.status}`);
  return new Uint8Array(await resp.arrayBuffer());
}

function quantiles(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: s[0], median: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

async function run({ wasm, catalogue, profile, profileMsgpack, now, count, runs, warmup }) {
  const out = { timer: crossOriginIsolated ? 'isolated' : 'coarse' };

  // The engine starts as Hearth's Worker starts it: download, then
  // instantiate the bytes.
  let t = performance.now();
  const go = new self.Go();
  const wasmBytes = await bytes(wasm);
  out.wasmFetchMs = performance.now() - t;
  const { instance } = await WebAssembly.instantiate(wasmBytes, go.importObject);
  out.instantiateMs = performance.now() - t - out.wasmFetchMs;
  go.run(instance);
  const dispatch = self.hearthDispatch;
  out.engineStartMs = performance.now() - t;
  const mem = () => instance.exports.mem.buffer.byteLength;
  out.memStart = mem();

  const call = (req) => {
    const resp = decode(dispatch(encode({ now, ...req })));
    if (resp.code) throw new Error(`${req.op}: ${resp.code}: ${resp.msg}`);
    return resp;
  };

  const catBytes = await bytes(catalogue);
  out.catalogueBytes = catBytes.length;
  t = performance.now();
  const info = call({ op: 'load-catalogue', bytes: catBytes, consent: 'granted' }).cat;
  out.goLoadMs = performance.now() - t;
  out.items = info.items;
  t = performance.now();
  const model = ref.load(decode(catBytes));
  out.jsLoadMs = performance.now() - t;
  out.jsModelBytes = model.unit.byteLength + model.freshBase.byteLength + model.pop.byteLength;

  const profBytes = new Uint8Array(profile);
  call({ op: 'load-profile', bytes: profBytes });
  const prof = decode(new Uint8Array(profileMsgpack));
  out.memLoaded = mem();

  const seed = 1;
  const goRank = () => call({ op: 'recommend', count, seed }).recs;
  const jsRank = () => ref.recommend(model, prof, { count, now, seed });
  // Both as [{id, reasons: [{code, text, ref}]}], ref '' when there is none.
  const plain = (recs) => recs.map((r) => ({
    id: r.id,
    reasons: r.reasons.map((x) => ({ code: x.code, text: x.text, ref: x.ref || '' })),
  }));
  for (let i = 0; i < warmup; i++) {
    goRank();
    jsRank();
  }
  const goTimes = [];
  const jsTimes = [];
  let goRecs = [];
  let jsRecs = [];
  out.differ = 0;
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first, so neither always follows the other.
    const first = i % 2 === 0;
    for (const which of first ? ['go', 'js'] : ['js', 'go']) {
      const s = performance.now();
      if (which === 'go') {
        goRecs = goRank();
        goTimes.push(performance.now() - s);
      } else {
        jsRecs = jsRank();
        jsTimes.push(performance.now() - s);
      }
    }
    if (JSON.stringify(plain(goRecs)) !== JSON.stringify(plain(jsRecs))) out.differ++;
  }
  // The floor of any call: a request the engine refuses at once
  // (unknown op), through the same encoding, copies and decoding.
  const floor = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    decode(dispatch(encode({ op: 'none', now })));
    floor.push(performance.now() - s);
  }
  out.callFloor = quantiles(floor);
  out.go = quantiles(goTimes);
  out.js = quantiles(jsTimes);
  out.goSamples = goTimes;
  out.jsSamples = jsTimes;
  out.goRecs = plain(goRecs);
  out.jsRecs = plain(jsRecs);
  out.goIDs = goRecs.map((r) => r.id);
  out.jsIDs = jsRecs.map((r) => r.id);
  out.memEnd = mem();
  return out;
}

self.onmessage = async (e) => {
  try {
    self.postMessage(await run(e.data));
  } catch (err) {
    self.postMessage({ error: String((err && err.stack) || err) });
  }
};
