// A straightforward JavaScript implementation of Hearth's personal ranking,
// kept as a reference for benchmarks only: it is never shipped to readers.
//
// It runs the pipeline Engine.Recommend (core/rank) runs for a reader with
// a profile, on the same catalogue and profile, and returns the same items
// in the same order with the same reasons:
//
// 1. learn: topic interests decayed to now and scaled so that the largest
//    is 1; the reader's items, each with its net kind- and recency-weighted
//    signal, strongest first; the user vector, the signed, weighted mean of
//    their unit vectors;
// 2. candidates: not excluded by the policy, read, hidden or of a muted
//    topic;
// 3. score every candidate, the weighted sum of the engine's score terms
//    (rank's term table, in defaults.js; their values are in terms below)
//      fresh·2^(−age/half-life) + pop·popularity
//      + sim·cos(u, item) + topic·interest overlap,
//    (freshness 1 for an item dated up to a day after now, 0 later)
//    keeping the best max(3·count, count + 20) (ties to the lower index);
// 4. diversify them by maximal marginal relevance with the policy's
//    diversity moved by the reader's variety, within the section caps;
// 5. explore: with the policy's probability (splitmix64 from the request's
//    seed, as the engine draws it), one slot of the second half goes to one
//    of the 8 best candidates, by freshness and popularity, none of whose
//    topics the reader has an interest in;
// 6. explain each item: each term's reason when the term has weight and
//    its threshold is met, the personal terms' first: the read item most
//    similar to it (of the strongest 50), the followed topic contributing
//    most, "new", "popular"; else the reason of the largest term of its
//    score if that term is above zero.
//
// It makes the precomputations rank.New makes (unit vectors in one
// Float32Array, freshness bases, topic tables), so that a benchmark
// compares runtimes, not algorithms, and computes everything per call, as
// Engine.Recommend without a memo does. It leaves out what the benchmark's
// reader never reaches: the non-personal order for an empty profile,
// related lists, pinned items, the current page and the fold-in of
// publisher-trained factors. Scores are computed in doubles, the engine's
// in float32: the two agree on every list the benchmark checks (the smoke
// test and TestJSRef_MatchesEngine), not necessarily on exact ties.
//
// Inputs are plain objects as a MessagePack decoder returns them: the
// catalogue (core/catalog's wire keys: items by column, items.id, .vec,
// .scale, .ntopic, .topic, .weight, .pub, .pop, .sec, policy.weights,
// .caps, ...; see rows) and
// the profile (core/profile's keys: settings.variety, interests as
// [topic, weight] pairs, events[].i, .k, .at, .d, read, hidden, muted,
// updated).

// The policy's defaults and the score's terms come from the engine:
// defaults.js is generated from catalog.Policy.WithDefaults and rank's term
// table, and TestJSRef_Defaults fails when it is stale.
import { eventKinds, fullReadSeconds, policyDefaults, scoreTerms } from './defaults.js';

const day = 86400;


// The engine's constants (core/rank).
const maxHistory = 200; // the reader's strongest items it looks at
const explainHistory = 50; // of which explanations compare with
const maxLambda = 0.7; // the strongest diversity variety can ask for
const exploreChoices = 8;
// The reader's blend (core/rank/adapt.go): the catalogue items sampled for
// the popularity-weighted freshness, and the one-sided 95% quantile.
const adaptSample = 256;
const adaptZ = 1.645;

/**
 * Each score term of the engine, by its weight's key: its value for item i
 * and, for a personal term, whether the request's reader gives it anything
 * to score (on), given the request r of recommend; and its reason for item
 * i of value v if it passes atLeast (null otherwise; none for a term
 * without a reason). Importing this file
 * fails when the engine has a term this table lacks, or the other way
 * round, so a new term cannot go unnoticed by the reference.
 * @type {Record<string, {value: (r: any, i: number) => number, on?: (r: any) => boolean,
 *   reason?: (r: any, i: number, v: number, atLeast: number) => ({code: string, text: string, ref?: string} | null)}>}
 */
const terms = {
  fresh: {
    value: (r, i) => r.fresh(i),
    reason: (r, i, v, atLeast) => (v >= atLeast ? { code: 'new', text: 'New' } : null),
  },
  pop: {
    value: (r, i) => r.m.pop[i],
    reason: (r, i, v, atLeast) => (v >= atLeast ? { code: 'popular', text: 'Popular' } : null),
  },
  sim: {
    value: (r, i) => (r.m.hasVec[i] ? r.cosine(i) : 0),
    on: (r) => r.user !== null,
    reason: (r, i, v, atLeast) => r.readReason(i, atLeast),
  },
  topic: {
    value: (r, i) => r.topicScore(i),
    on: (r) => r.anyTopic,
    reason: (r, i, v, atLeast) => r.topicReason(i, atLeast),
  },
};
for (const t of scoreTerms) {
  if (!terms[t.key]) throw new Error(`jsref: the engine's score term ${t.key} has no value here`);
}
for (const key of Object.keys(terms)) {
  if (!scoreTerms.some((t) => t.key === key)) throw new Error(`jsref: ${key} is not a score term of the engine`);
}

/** The weight of one event (profile.Kind.Weight), from the engine's kinds. */
function kindWeight(kind, dwell) {
  const k = eventKinds[kind];
  if (!k) return 0;
  return k.weight + k.dwell * Math.min(1, Math.max(0, dwell || 0) / fullReadSeconds);
}

function decay(seconds, halfLifeDays) {
  if (seconds <= 0) return 1;
  if (halfLifeDays <= 0) return 0;
  return 2 ** (-seconds / (halfLifeDays * day));
}

/**
 * The items of a catalogue's columns (core/catalog's itemColumns), one
 * object per item: an empty column is every item's zero value, item i's
 * topics are the next ntopic[i] entries of topic and weight, its vector
 * dim bytes of vec, absent when its scale is 0.
 * @param {any} cols
 * @param {number} dim
 */
function rows(cols, dim) {
  const ids = cols.id || [];
  const at = (col, i, zero) => (col && col.length ? col[i] : zero);
  const out = new Array(ids.length);
  let t = 0;
  for (let i = 0; i < ids.length; i++) {
    const nt = at(cols.ntopic, i, 0);
    const topics = [];
    for (let k = 0; k < nt; k++, t++) topics.push([cols.topic[t], cols.weight[t]]);
    const scale = at(cols.scale, i, 0);
    out[i] = {
      id: ids[i], url: at(cols.url, i, ''), title: at(cols.title, i, ''), sec: at(cols.sec, i, ''),
      topics, scale, vec: scale ? cols.vec.subarray(i * dim, (i + 1) * dim) : null,
      pub: at(cols.pub, i, 0), pop: at(cols.pop, i, 0),
    };
  }
  return out;
}

/**
 * Prepares a decoded catalogue for ranking, once per catalogue.
 * @param {any} cat
 */
export function load(cat) {
  const pol = cat.policy || {};
  // Weights default only when the policy sets none (WithDefaults).
  const w = pol.weights || {};
  const some = scoreTerms.some((t) => w[t.key]);
  /** @type {Record<string, number>} */
  const weights = {};
  for (const t of scoreTerms) weights[t.key] = some ? w[t.key] || 0 : policyDefaults.weights[t.key];
  const items = rows(cat.items || {}, cat.dim || 0);
  const n = items.length;
  const dim = cat.dim || 0;
  const unit = new Float32Array(n * dim);
  const hasVec = new Uint8Array(n);
  const pop = new Float32Array(n);
  const pub = new Float64Array(n);
  const topicOff = new Int32Array(n + 1);
  const topicIdx = [];
  const topicW = [];
  const topicInv = new Float32Array(n);
  const topicNorm = new Float32Array(n);
  const sec = new Int32Array(n);
  const secByName = new Map();
  const byID = new Map();
  let freshRef = -Infinity;
  for (let i = 0; i < n; i++) {
    const it = items[i];
    byID.set(it.id, i);
    pub[i] = it.pub;
    pop[i] = it.pop || 0;
    if (it.pub > freshRef) freshRef = it.pub;
    const v = it.vec;
    if (dim > 0 && v && v.length === dim) {
      const row = unit.subarray(i * dim, (i + 1) * dim);
      let ss = 0;
      for (let k = 0; k < dim; k++) {
        const b = v[k] > 127 ? v[k] - 256 : v[k]; // int8
        row[k] = b * it.scale;
        ss += row[k] * row[k];
      }
      if (ss > 0) {
        const inv = 1 / Math.sqrt(ss);
        for (let k = 0; k < dim; k++) row[k] *= inv;
        hasVec[i] = 1;
      }
    }
    let sum = 0, sq = 0;
    for (const [t, tw] of it.topics || []) {
      topicIdx.push(t);
      topicW.push(tw);
      sum += tw;
      sq += tw * tw;
    }
    topicOff[i + 1] = topicIdx.length;
    topicInv[i] = sum > 0 ? 1 / sum : 0;
    topicNorm[i] = Math.sqrt(sq);
    const name = it.sec || '';
    if (!secByName.has(name)) secByName.set(name, secByName.size);
    sec[i] = secByName.get(name);
  }
  const freshHL = (pol.fresh_hl || policyDefaults.fresh_hl) * day;
  const freshBase = new Float64Array(n);
  for (let i = 0; i < n; i++) freshBase[i] = 2 ** ((pub[i] - freshRef) / freshHL);
  const secCap = new Int32Array(secByName.size);
  for (const c of pol.caps || []) {
    const s = secByName.get(c.sec);
    if (s !== undefined) secCap[s] = c.max;
  }
  const excluded = new Uint8Array(n);
  for (const id of pol.excluded || []) {
    const i = byID.get(id);
    if (i !== undefined) excluded[i] = 1;
  }
  const topicByName = new Map((cat.topics || []).map((t, k) => [t, k]));
  return {
    n, dim, items, weights, unit, hasVec, pop, freshBase, freshRef, freshHL,
    interestHL: pol.interest_hl || policyDefaults.interest_hl,
    diversity: pol.diversity || policyDefaults.diversity,
    exploration: pol.explore || policyDefaults.explore,
    // The least weight of an item's topic that may be told as a reason.
    reasonMin: Math.fround(pol.reason_min || policyDefaults.reason_min),
    topicOff, topicIdx: Uint16Array.from(topicIdx), topicW: Float32Array.from(topicW), topicInv, topicNorm,
    sec, secCap, excluded, topicByName, byID, topics: cat.topics || [],
  };
}

// splitmix64, as the engine's exploration draws (core/rank/explore.go).
const mask64 = (1n << 64n) - 1n;
function splitmix(seed) {
  let state = BigInt.asUintN(64, BigInt(seed));
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64;
    return z ^ (z >> 31n);
  };
  return {
    float: () => Number(next() >> 40n) / (1 << 24),
    intn: (n) => Number(next() % BigInt(n)),
  };
}

/** The freshness of item i at now (seconds): 1 up to a day after now (clocks differ), 0 for an item dated later. */
function freshAt(m, now) {
  const factor = 2 ** Math.min((m.freshRef - now) / m.freshHL, 1000);
  const skew = 2 ** (day / m.freshHL);
  return (i) => {
    const f = m.freshBase[i] * factor;
    return f > 1 ? (f > skew ? 0 : 1) : Math.fround(f);
  };
}

/**
 * The reader's blend, as the engine chooses it (adapt): freshness counts
 * only when the reader's liked or read items were fresher, when read, than
 * the popularity-weighted mean of a sample of the catalogue then, at 95%
 * one-sided confidence. Returns the scale of the freshness weight.
 */
function blend(m, prof) {
  if (m.weights.fresh === 0) return 1;
  const step = Math.max(1, Math.floor(m.n / adaptSample));
  let den = 0; // the sample's popularity: the mean's divisor at every event
  for (let j = 0; j < m.n; j += step) den += m.pop[j];
  let n = 0, sum = 0, sq = 0;
  for (const ev of prof.events || []) {
    const kind = eventKinds[ev.k];
    if (!kind || kind.name === 'mute' || !(kindWeight(ev.k, ev.d) > 0) || !m.byID.has(ev.i)) continue;
    const fresh = freshAt(m, ev.at);
    let num = 0;
    for (let j = 0; j < m.n; j += step) num += m.pop[j] * fresh(j);
    let x = fresh(m.byID.get(ev.i));
    if (den > 0) x -= num / den;
    n++;
    sum += x;
    sq += x * x;
  }
  if (n < 2) return 1;
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1)));
  return mean > adaptZ * sd / Math.sqrt(n) ? 1 : 0;
}

/** The unit, signed, weighted mean of the history's item vectors, null without one. */
function meanVector(m, history) {
  const dim = m.dim;
  if (dim === 0) return null;
  const u = new Float64Array(dim);
  for (const [i, w] of history) {
    if (!m.hasVec[i]) continue;
    const row = m.unit.subarray(i * dim, (i + 1) * dim);
    for (let k = 0; k < dim; k++) u[k] += w * row[k];
  }
  let ss = 0;
  for (let k = 0; k < dim; k++) ss += u[k] * u[k];
  if (!(ss > 1e-20 && Number.isFinite(ss))) return null;
  const user = new Float32Array(dim);
  const inv = 1 / Math.sqrt(ss);
  for (let k = 0; k < dim; k++) user[k] = u[k] * inv;
  return user;
}

/**
 * The reader's items, each with its net signal decayed to ref (Unix
 * seconds), strongest first (ties to the lower index), at most maxHistory.
 * As the engine: every valid kind but a mute, which names a topic.
 */
function historyOf(m, events, ref) {
  const signal = new Map();
  for (const ev of events) {
    if (!eventKinds[ev.k] || eventKinds[ev.k].name === 'mute') continue;
    const i = m.byID.get(ev.i);
    if (i === undefined) continue;
    signal.set(i, (signal.get(i) || 0) + kindWeight(ev.k, ev.d) * decay(ref - ev.at, m.interestHL));
  }
  return [...signal].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxHistory);
}

/** Term t's value for item i in request r, 0 for a personal term the reader gives nothing to score. */
function termValue(r, t, i) {
  return t.personal && !terms[t.key].on(r) ? 0 : terms[t.key].value(r, i);
}

function dotUnit(m, user, i) {
  let dot = 0;
  const off = i * m.dim;
  for (let k = 0; k < m.dim; k++) dot += user[k] * m.unit[off + k];
  return dot;
}

function topicOf(m, interest, i) {
  let t = 0;
  for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) t += m.topicW[a] * interest[m.topicIdx[a]];
  return t * m.topicInv[i];
}

/** Marks the items of a topic the reader muted. */
function muteBlock(m, prof, blocked) {
  const muted = new Set();
  for (const t of prof.muted || []) {
    const k = m.topicByName.get(t);
    if (k !== undefined) muted.add(k);
  }
  if (muted.size === 0) return;
  for (let i = 0; i < m.n; i++) {
    for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) {
      if (muted.has(m.topicIdx[a])) {
        blocked[i] = 1;
        break;
      }
    }
  }
}

/**
 * Returns the count best items for the profile at now (Unix milliseconds),
 * best first, as {id, reasons: [{code, text, ref}]} (ref only when there is
 * one, as the engine's response omits an empty one).
 * @param {ReturnType<typeof load>} m
 * @param {any} prof
 * @param {{count?: number, now: number, seed?: number}} req
 */
export function recommend(m, prof, { count = 10, now, seed = 0 }) {
  const nowSec = Math.floor(now / 1000);
  count = Math.min(count, m.n);
  const dim = m.dim;

  // 1. Topic interests, decayed from the profile's last update, max |w| = 1.
  const interest = new Float32Array(m.topics.length);
  const f = decay(nowSec - (prof.updated || 0), m.interestHL);
  let top = 0;
  for (const [t, w] of prof.interests || []) {
    const k = m.topicByName.get(t);
    if (k === undefined) continue;
    interest[k] = w * f;
    top = Math.max(top, Math.abs(interest[k]));
  }
  const anyTopic = top > 0;
  if (anyTopic) for (let k = 0; k < interest.length; k++) interest[k] /= top;

  const history = historyOf(m, prof.events || [], nowSec);

  // The user vector: the weighted mean of the items' unit vectors.
  const user = meanVector(m, history);

  // 2. Candidates: not excluded, read, hidden or of a muted topic.
  const blocked = Uint8Array.from(m.excluded);
  for (const id of [...(prof.read || []), ...(prof.hidden || [])]) {
    const i = m.byID.get(id);
    if (i !== undefined) blocked[i] = 1;
  }
  muteBlock(m, prof, blocked);

  // 3. Score every candidate and keep the best, best first.
  const fresh = freshAt(m, nowSec);
  const cosine = (i) => dotUnit(m, user, i);
  const topicScore = (i) => topicOf(m, interest, i);
  // The weights under the reader's blend: freshness scaled.
  const freshScale = blend(m, prof);
  const weight = (key) => m.weights[key] * (key === 'fresh' ? freshScale : 1);
  // The request r the terms read, and its terms: those with weight whose
  // reader gives them something to score, in the engine's order.
  const r = { m, fresh, cosine, topicScore, readReason, topicReason, user, anyTopic };
  const on = scoreTerms
    .filter((t) => weight(t.key) !== 0 && (!t.personal || terms[t.key].on(r)))
    .map((t) => ({ w: weight(t.key), value: terms[t.key].value }));
  const score = (i) => {
    let s = 0;
    for (const t of on) s += t.w * t.value(r, i);
    return s;
  };
  const poolSize = Math.min(m.n, Math.max(3 * count, count + 20));
  const pool = [];
  for (let i = 0; i < m.n; i++) {
    if (blocked[i]) continue;
    const s = score(i);
    if (pool.length === poolSize && s <= pool[poolSize - 1].score) continue;
    let j = pool.length < poolSize ? pool.length : poolSize - 1;
    while (j > 0 && pool[j - 1].score < s) {
      pool[j] = pool[j - 1];
      j--;
    }
    pool[j] = { i, score: s };
  }

  // 4. Diversify: maximal marginal relevance within the section caps; an
  // item repeats one taken by the larger of their vector and topic cosines.
  const topicSim = (a, b) => {
    if (m.topicNorm[a] === 0 || m.topicNorm[b] === 0) return 0;
    let s = 0;
    for (let x = m.topicOff[a]; x < m.topicOff[a + 1]; x++) {
      for (let y = m.topicOff[b]; y < m.topicOff[b + 1]; y++) {
        if (m.topicIdx[x] === m.topicIdx[y]) s += m.topicW[x] * m.topicW[y];
      }
    }
    return s / (m.topicNorm[a] * m.topicNorm[b]);
  };
  const itemSim = (a, b) => {
    if (m.hasVec[a] && m.hasVec[b]) {
      let dot = 0;
      const oa = a * dim, ob = b * dim;
      for (let k = 0; k < dim; k++) dot += m.unit[oa + k] * m.unit[ob + k];
      return dot;
    }
    return topicSim(a, b);
  };
  const variety = (prof.settings && prof.settings.variety) || 0;
  const d = m.diversity;
  const lambda = variety >= 0 ? d + variety * Math.max(0, maxLambda - d) : d * (1 + variety);
  let lo = 0, hi = 0;
  pool.forEach((p, k) => {
    if (k === 0 || p.score < lo) lo = p.score;
    if (k === 0 || p.score > hi) hi = p.score;
  });
  const rel = pool.map((p) => (hi > lo ? (p.score - lo) / (hi - lo) : 1));
  const maxSim = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  const used = new Int32Array(m.secCap.length);
  const full = (i) => m.secCap[m.sec[i]] > 0 && used[m.sec[i]] >= m.secCap[m.sec[i]];
  let list = [];
  while (list.length < count) {
    let best = -1, bestVal = 0;
    for (let k = 0; k < pool.length; k++) {
      if (taken[k] || full(pool[k].i)) continue;
      const val = (1 - lambda) * rel[k] - lambda * maxSim[k];
      if (best < 0 || val > bestVal) {
        best = k;
        bestVal = val;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    const chosen = pool[best].i;
    list.push(chosen);
    used[m.sec[chosen]]++;
    for (let k = 0; k < pool.length; k++) {
      if (!taken[k]) maxSim[k] = Math.max(maxSim[k], itemSim(chosen, pool[k].i), topicSim(chosen, pool[k].i));
    }
  }

  // 5. Explore: maybe one slot for a topic the reader has shown no interest in.
  const rng = splitmix(seed);
  let explored = -1;
  if (rng.float() < m.exploration) {
    // The priors, weighted equally when the policy gives them no weight.
    const priors = scoreTerms.filter((t) => !t.personal);
    const equal = priors.every((t) => m.weights[t.key] === 0);
    const prior = (i) => {
      let s = 0;
      for (const t of priors) s += (equal ? 1 : m.weights[t.key]) * terms[t.key].value(r, i);
      return s;
    };
    const unexplored = (i) => {
      if (m.topicOff[i] === m.topicOff[i + 1]) return false;
      for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) if (interest[m.topicIdx[a]] !== 0) return false;
      return true;
    };
    const choices = [];
    for (let i = 0; i < m.n; i++) {
      if (blocked[i] || !unexplored(i) || list.includes(i)) continue;
      choices.push({ i, score: prior(i) });
    }
    choices.sort((a, b) => b.score - a.score || a.i - b.i);
    choices.length = Math.min(choices.length, exploreChoices);
    if (choices.length > 0) {
      explored = choices[rng.intn(choices.length)].i;
      const half = Math.floor(count / 2);
      const pos = Math.min(half + rng.intn(count - half), list.length);
      list.splice(pos, 0, explored);
      list = list.slice(0, count);
    }
  }

  // 6. Explain.
  function readReason(i, atLeast) {
    let best = -1, bestSim = atLeast;
    for (const [h, w] of history.slice(0, explainHistory)) {
      if (w <= 0 || h === i) continue;
      const s = Math.fround(itemSim(h, i));
      if (s >= bestSim && (best < 0 || s > bestSim)) {
        best = h;
        bestSim = s;
      }
    }
    if (best < 0) return null;
    const it = m.items[best];
    return { code: 'read', text: 'Because you read ' + it.title, ref: it.id };
  }
  function topicReason(i, atLeast) {
    if (!anyTopic) return null;
    let best = -1, bestVal = Math.max(atLeast, 0);
    for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) {
      const v = Math.fround(m.topicW[a] * interest[m.topicIdx[a]]);
      if (v > bestVal && m.topicW[a] >= m.reasonMin) {
        best = m.topicIdx[a];
        bestVal = v;
      }
    }
    if (best < 0) return null;
    return { code: 'topic', text: 'You follow ' + m.topics[best], ref: m.topics[best] };
  }
  const value = (t, i) => termValue(r, t, i);
  // The reason of the largest term of item i's score, if it is above zero.
  const mainTerm = (i) => {
    let reason = null, best = 0;
    for (const t of scoreTerms) {
      const w = weight(t.key);
      if (w === 0 || !terms[t.key].reason || (t.personal && !terms[t.key].on(r))) continue;
      const v = value(t, i);
      if (w * v > best) {
        const rr = terms[t.key].reason(r, i, v, -Infinity);
        if (rr) {
          reason = rr;
          best = w * v;
        }
      }
    }
    return reason;
  };
  return list.map((i) => {
    const reasons = [];
    if (i === explored) reasons.push({ code: 'explore', text: 'Something different' });
    for (const personal of [true, false]) {
      if (personal && i === explored) continue;
      for (const t of scoreTerms) {
        if (t.personal !== personal || !terms[t.key].reason || !(weight(t.key) > 0)) continue;
        const rr = terms[t.key].reason(r, i, value(t, i), Math.fround(t.reasonAt));
        if (rr) reasons.push(rr);
      }
    }
    if (reasons.length === 0) {
      const rm = mainTerm(i);
      if (rm) reasons.push(rm);
    }
    return { id: m.items[i].id, reasons };
  });
}
