// A straightforward JavaScript implementation of Hearth's personal scoring,
// kept as a reference for benchmarks only: it is never shipped to readers.
//
// It ranks the same catalogue for the same profile as the engine's
// personal list (core/rank) and, given a policy whose diversity and
// exploration are negligible, returns the same top items in the same order:
//
//   score = sim·cos(u, item) + topic·interest overlap
//         + fresh·2^(−age/half-life) + pop·popularity
//
// with u the signed, recency- and kind-weighted mean of the unit vectors of
// the reader's items, and interests the profile's topic weights decayed to
// now and scaled so that the largest is 1. Candidates exclude what the
// reader read or hid and items of muted topics. It does what rank.New and
// Engine.Recommend do, with the same precomputation (unit vectors in one
// Float32Array, freshness bases, topic tables), so that a benchmark
// compares runtimes, not algorithms. It leaves out what only the engine
// does: diversification, exploration, reasons, the non-personal order for
// an empty profile and the fold-in of publisher-trained factors.
//
// Inputs are plain objects as a MessagePack decoder returns them: the
// catalogue (core/catalog's wire keys: items[].vec, .scale, .topics as
// [topic, weight] pairs, .pub, .pop, policy.weights, ...) and the profile
// (core/profile's keys: interests as [topic, weight] pairs, events[].i, .k,
// .at, .d, read, hidden, muted, updated).

const day = 86400;

// Policy defaults, as catalog.Policy.WithDefaults.
const defaultFreshHalfLife = 14;
const defaultInterestHalfLife = 30;
const defaultWeights = { sim: 1, topic: 0.6, fresh: 0.25, pop: 0.15 };

// Event kinds (profile.Kind) and their weights (profile.Kind.Weight).
const kindView = 1, kindRead = 2, kindClick = 3, kindLike = 4, kindDislike = 5, kindHide = 6, kindMute = 7;
const fullReadSeconds = 60;

// The engine looks at the reader's strongest 200 items.
const maxHistory = 200;

function kindWeight(kind, dwell) {
  switch (kind) {
    case kindView: return 0.2;
    case kindRead: return 0.5 + 0.5 * Math.min(1, Math.max(0, dwell || 0) / fullReadSeconds);
    case kindClick: return 0.5;
    case kindLike: return 2;
    case kindDislike: return -2;
    case kindHide: return -1;
  }
  return 0;
}

function decay(seconds, halfLifeDays) {
  if (seconds <= 0) return 1;
  if (halfLifeDays <= 0) return 0;
  return 2 ** (-seconds / (halfLifeDays * day));
}

/**
 * Prepares a decoded catalogue for ranking, once per catalogue.
 * @param {any} cat
 */
export function load(cat) {
  const pol = cat.policy || {};
  const w = pol.weights || {};
  const weights = (w.sim || w.topic || w.fresh || w.pop)
    ? { sim: w.sim || 0, topic: w.topic || 0, fresh: w.fresh || 0, pop: w.pop || 0 }
    : defaultWeights;
  const items = cat.items || [];
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
    let sum = 0;
    for (const [t, tw] of it.topics || []) {
      topicIdx.push(t);
      topicW.push(tw);
      sum += tw;
    }
    topicOff[i + 1] = topicIdx.length;
    topicInv[i] = sum > 0 ? 1 / sum : 0;
  }
  const freshHL = (pol.fresh_hl || defaultFreshHalfLife) * day;
  const freshBase = new Float64Array(n);
  for (let i = 0; i < n; i++) freshBase[i] = 2 ** ((pub[i] - freshRef) / freshHL);
  const topicByName = new Map((cat.topics || []).map((t, k) => [t, k]));
  return {
    n, dim, items, weights, unit, hasVec, pop, freshBase, freshRef, freshHL,
    interestHL: pol.interest_hl || defaultInterestHalfLife,
    topicOff, topicIdx: Uint16Array.from(topicIdx), topicW: Float32Array.from(topicW), topicInv,
    topicByName, byID, topicCount: (cat.topics || []).length,
  };
}

/**
 * Returns the count best items for the profile at now (Unix milliseconds),
 * best first, as {id, score}.
 * @param {ReturnType<typeof load>} m
 * @param {any} prof
 * @param {{count?: number, now: number}} req
 */
export function recommend(m, prof, { count = 10, now }) {
  const nowSec = Math.floor(now / 1000);

  // Topic interests, decayed from the profile's last update, max |w| = 1.
  const interest = new Float32Array(m.topicCount);
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

  // The reader's items, each with its net, decayed signal, strongest first.
  const signal = new Map();
  for (const ev of prof.events || []) {
    if (!(ev.k >= kindView && ev.k < kindMute)) continue;
    const i = m.byID.get(ev.i);
    if (i === undefined) continue;
    const w = kindWeight(ev.k, ev.d) * decay(nowSec - ev.at, m.interestHL);
    signal.set(i, (signal.get(i) || 0) + w);
  }
  const history = [...signal].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, maxHistory);

  // The user vector: the weighted mean of the items' unit vectors.
  let user = null;
  if (m.dim > 0) {
    const u = new Float64Array(m.dim);
    for (const [i, w] of history) {
      if (!m.hasVec[i]) continue;
      const row = m.unit.subarray(i * m.dim, (i + 1) * m.dim);
      for (let k = 0; k < m.dim; k++) u[k] += w * row[k];
    }
    let ss = 0;
    for (let k = 0; k < m.dim; k++) ss += u[k] * u[k];
    if (ss > 1e-20 && Number.isFinite(ss)) {
      user = new Float32Array(m.dim);
      const inv = 1 / Math.sqrt(ss);
      for (let k = 0; k < m.dim; k++) user[k] = u[k] * inv;
    }
  }

  // Candidates: not read, not hidden, no muted topic.
  const blocked = new Uint8Array(m.n);
  for (const id of [...(prof.read || []), ...(prof.hidden || [])]) {
    const i = m.byID.get(id);
    if (i !== undefined) blocked[i] = 1;
  }
  const muted = new Set();
  for (const t of prof.muted || []) {
    const k = m.topicByName.get(t);
    if (k !== undefined) muted.add(k);
  }
  if (muted.size > 0) {
    for (let i = 0; i < m.n; i++) {
      for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) {
        if (muted.has(m.topicIdx[a])) {
          blocked[i] = 1;
          break;
        }
      }
    }
  }

  // Score every candidate and keep the best count, best first (ties go to
  // the lower index, as in the engine).
  const { sim, topic, fresh, pop } = m.weights;
  const factor = 2 ** Math.min((m.freshRef - nowSec) / m.freshHL, 1000);
  const best = [];
  for (let i = 0; i < m.n; i++) {
    if (blocked[i]) continue;
    let s = fresh * Math.min(1, m.freshBase[i] * factor) + pop * m.pop[i];
    if (user && m.hasVec[i]) {
      let dot = 0;
      const off = i * m.dim;
      for (let k = 0; k < m.dim; k++) dot += user[k] * m.unit[off + k];
      s += sim * dot;
    }
    if (anyTopic) {
      let t = 0;
      for (let a = m.topicOff[i]; a < m.topicOff[i + 1]; a++) t += m.topicW[a] * interest[m.topicIdx[a]];
      s += topic * t * m.topicInv[i];
    }
    if (best.length === count && s <= best[count - 1].score) continue;
    let j = best.length < count ? best.length : count - 1;
    while (j > 0 && best[j - 1].score < s) {
      best[j] = best[j - 1];
      j--;
    }
    best[j] = { i, score: s };
  }
  return best.map(({ i, score }) => ({ id: m.items[i].id, score }));
}
