// The export: the reader's profile as a JSON file they keep, and the same
// file read back. The engine replies the profile's MessagePack bytes in its
// stored layout (core/profile's Profile: profileLayout in ops.gen.js) and
// reads such bytes back, checking them as it checks a stored profile; this
// module maps them to and from the file's document, once, in the Worker,
// where the platform parses and writes JSON, so that the engine carries no
// JSON, date or decimal code (docs/size.md).
//
// The document (docs/browser.md, "Export and import", with an example): format
// "hearth-profile", version (the profile format), exported and updated
// (RFC 3339 times, UTC), settings {consent, variety}, interests [{topic,
// weight}], events [{item, kind, time, dwell_seconds, topic, taught}] (an
// event leaves out its empty item, dwell_seconds, topic and taught; taught
// lists the topic weights it added), read, hidden and muted (lists of
// strings, never null). Weights are as stored, as of "updated". Numbers are
// the shortest decimals that read back as the stored float32s: 0.1, not
// 0.10000000149011612.
//
// An import is strict: another format or version, unknown fields, values
// of the wrong type, unknown kinds and times that are not RFC 3339 or are
// before 1970 are refused with a message naming the field
// (events[3].taught[0].weight); a null is a field left out. The engine then
// holds the profile to its limits and checks its values.

import { maxImportBytes, profileLayout as L } from './ops.gen.js';
import { Float32, decode, encodeValue } from './protocol.js';

/** The export's format name: an import refuses other files. */
export const exportFormat = 'hearth-profile';

const P = L.Profile;
const S = L.Settings;
const I = L.Interest;
const E = L.Event;
// The stored types written as MessagePack arrays (msgp:tuple): the layout
// gives their fields indexes instead of keys.
/** @type {Set<object>} */
const tuples = new Set(/** @type {object[]} */ ([P, S, I, E]).filter((t) => Object.values(t).every((k) => typeof k === 'number')));
/** @type {Record<number, string>} */
const kindNames = Object.fromEntries(Object.entries(L.kinds).map(([name, k]) => [k, name]));

/**
 * The file a profile exports as: its document as JSON with two spaces of
 * indentation, and <, >, & and the line separators U+2028 and U+2029
 * escaped, so that the text is safe to paste into HTML or a script.
 * @param {Uint8Array} bytes the engine's export (the stored layout)
 * @param {number} nowMs the export time, Unix milliseconds
 * @returns {string}
 */
export function exportText(bytes, nowMs) {
  const p = /** @type {Record<string, any>} */ (decode(bytes));
  const settings = p[P.Settings] ?? {};
  const doc = {
    format: exportFormat,
    version: p[P.Version],
    exported: formatTime(Math.floor(nowMs / 1000)),
    updated: formatTime(p[P.Updated] ?? 0),
    settings: { consent: settings[S.Consent] ?? '', variety: decimal32(settings[S.Variety] ?? 0) },
    interests: interestsOf(p[P.Interests]),
    events: (p[P.Events] ?? []).map((/** @type {Record<string, any>} */ e) => {
      /** @type {Record<string, unknown>} */
      const out = {};
      if (e[E.Item]) out.item = e[E.Item];
      out.kind = kindNames[e[E.Kind]] ?? `kind(${e[E.Kind]})`;
      out.time = formatTime(e[E.Time] ?? 0);
      if (e[E.Dwell]) out.dwell_seconds = decimal32(e[E.Dwell]);
      if (e[E.Topic]) out.topic = e[E.Topic];
      if (e[E.Credit]?.length) out.taught = interestsOf(e[E.Credit]);
      return out;
    }),
    read: p[P.ReadItems] ?? [],
    hidden: p[P.Hidden] ?? [],
    muted: p[P.Muted] ?? [],
  };
  return JSON.stringify(doc, null, 2)
    .replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** @param {Record<string, any>[] | null | undefined} list */
function interestsOf(list) {
  return (list ?? []).map((x) => ({ topic: x[I.Topic], weight: decimal32(x[I.Weight] ?? 0) }));
}

/** An import's refusal; its message starts "import profile: ". */
export class ImportError extends Error {
  /** @param {string} why */
  constructor(why) {
    super(`import profile: ${why}`);
  }
}

/**
 * The profile an export file holds, as MessagePack bytes in the stored
 * layout for the engine's import. The text is held to maxImportBytes of
 * UTF-8 before it is parsed.
 * @param {string} json
 * @returns {Uint8Array}
 */
export function importProfile(json) {
  // UTF-8 takes one to three bytes per UTF-16 unit: only a text that may
  // be over the limit is encoded to be measured.
  const size = json.length * 3 > maxImportBytes ? new TextEncoder().encode(json).length : json.length;
  if (size > maxImportBytes) {
    throw new ImportError(`profile too large: ${size} bytes, limit ${maxImportBytes}`);
  }
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new ImportError(`invalid profile data: not JSON: ${err instanceof Error ? err.message : err}`);
  }
  return encodeValue(new DocReader().profile(doc));
}

/** @param {unknown} v */
function typeName(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'object': return 'an object';
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'a boolean';
  }
  return 'not a JSON value';
}

/** @param {string} s a value for a message, cut at 64 characters */
function clip(s) {
  return s.length <= 64 ? s : `${s.slice(0, 64)}...`;
}

/**
 * Reads an export's document into the stored layout, checking each value's
 * type; a refusal names the field where the reader stands.
 */
class DocReader {
  constructor() {
    /** @type {(string | number)[]} keys and list indexes down to the value being read */
    this.path = [];
  }

  /** @param {string} msg @returns {never} */
  invalid(msg) {
    let where = '';
    for (const step of this.path) {
      where += typeof step === 'number' ? `[${step}]` : (where ? '.' : '') + clip(step);
    }
    throw new ImportError(`invalid profile data: ${where || 'the document'}: ${msg}`);
  }

  /**
   * Whether v is a value of type want; null and absent are not (the field
   * is left out), any other type is refused.
   * @param {unknown} v
   * @param {string} want
   */
  is(v, want) {
    if (v === null || v === undefined) return false;
    if (typeName(v) !== want) this.invalid(`want ${want}, not ${typeName(v)}`);
    return true;
  }

  /**
   * Reads an object's fields, each by its reader; a key the format does
   * not have is refused.
   * @param {unknown} v
   * @param {Record<string, (x: unknown) => void>} fields
   */
  object(v, fields) {
    if (!this.is(v, 'an object')) return;
    for (const [key, x] of Object.entries(/** @type {object} */ (v))) {
      this.path.push(key);
      if (!Object.hasOwn(fields, key)) this.invalid('unknown field');
      fields[key](x);
      this.path.pop();
    }
  }

  /**
   * @template T
   * @param {unknown} v
   * @param {(x: unknown) => T} read
   * @returns {T[]}
   */
  list(v, read) {
    if (!this.is(v, 'a list')) return [];
    return /** @type {unknown[]} */ (v).map((x, i) => {
      this.path.push(i);
      const out = read(x);
      this.path.pop();
      return out;
    });
  }

  /** @param {unknown} v @returns {string | undefined} */
  str(v) {
    return this.is(v, 'a string') ? /** @type {string} */ (v) : undefined;
  }

  /** @param {unknown} v a whole number (JSON.parse reads 2.0 as 2) */
  int(v) {
    if (!this.is(v, 'a number')) return undefined;
    if (!Number.isInteger(v)) this.invalid('not an integer');
    return /** @type {number} */ (v);
  }

  /** @param {unknown} v a number, read as its nearest float32 (zero as +0) */
  float(v) {
    if (!this.is(v, 'a number')) return undefined;
    const f = Math.fround(/** @type {number} */ (v));
    if (!Number.isFinite(f)) this.invalid('number out of range');
    return f === 0 ? 0 : f;
  }

  /** @param {unknown} v an RFC 3339 time at or after 1970, as Unix seconds */
  time(v) {
    const s = this.str(v) ?? '';
    const t = parseTime(s);
    if (t === undefined) this.invalid(`${JSON.stringify(clip(s))} is not an RFC 3339 time`);
    if (t < 0) this.invalid(`${clip(s)} is before 1970`);
    return t;
  }

  /** @param {unknown} v */
  interests(v) {
    return this.list(v, (x) => {
      const out = { Topic: '', Weight: new Float32(0) };
      this.object(x, {
        topic: (y) => { out.Topic = this.str(y) ?? ''; },
        weight: (y) => { out.Weight = new Float32(this.float(y) ?? 0); },
      });
      return stored(I, out);
    });
  }

  /** @param {unknown} v */
  event(v) {
    /** @type {Record<string, unknown>} */
    const out = { Item: '' };
    this.object(v, {
      item: (x) => { out.Item = this.str(x) ?? ''; },
      kind: (x) => {
        const name = this.str(x) ?? '';
        if (!Object.hasOwn(L.kinds, name)) this.invalid(`unknown event kind ${JSON.stringify(clip(name))}`);
        out.Kind = L.kinds[/** @type {keyof typeof L.kinds} */ (name)];
      },
      time: (x) => { out.Time = this.time(x); },
      dwell_seconds: (x) => { out.Dwell = new Float32(this.float(x) ?? 0); },
      topic: (x) => { out.Topic = this.str(x); },
      taught: (x) => { out.Credit = this.interests(x); },
    });
    if (out.Time === undefined) this.invalid('no time');
    return stored(E, out);
  }

  /**
   * @param {unknown} doc
   * @returns {unknown} the profile in the stored layout
   */
  profile(doc) {
    let format = '';
    let version = 0;
    /** @type {number | undefined} */
    let updated;
    /** @type {Record<string, unknown>} */
    const settings = {};
    /** @type {Record<string, unknown>} */
    const out = { Version: L.version };
    /** @param {string} field */
    const strings = (field) => (/** @type {unknown} */ x) => { out[field] = this.list(x, (y) => this.str(y) ?? ''); };
    if (doc === null) this.invalid('want an object, not null');
    this.object(doc, {
      format: (x) => { format = this.str(x) ?? ''; },
      version: (x) => { version = this.int(x) ?? 0; },
      exported: (x) => { this.str(x); }, // for the reader, not imported
      updated: (x) => { updated = this.time(x); },
      settings: (x) => this.object(x, {
        consent: (y) => { settings.Consent = this.str(y); },
        variety: (y) => { settings.Variety = new Float32(this.float(y) ?? 0); },
      }),
      interests: (x) => { out.Interests = this.interests(x); },
      events: (x) => { out.Events = this.list(x, (y) => this.event(y)); },
      read: strings('ReadItems'),
      hidden: strings('Hidden'),
      muted: strings('Muted'),
    });
    if (format !== exportFormat) {
      this.invalid(`format ${JSON.stringify(clip(format))}, want ${JSON.stringify(exportFormat)}`);
    }
    if (version !== L.version) {
      throw new ImportError(`unsupported profile version ${version} (this code imports ${L.version})`);
    }
    if (updated === undefined) {
      this.path.push('updated');
      this.invalid('missing');
    }
    out.Updated = updated;
    out.Settings = stored(S, settings);
    return stored(P, out);
  }
}

/**
 * A value of a stored type from its fields by Go name: a MessagePack array
 * when the layout gives the type's fields indexes (msgp:tuple), else a map
 * by key, without the fields left undefined.
 * @param {Readonly<Record<string, string | number>>} type the type's layout
 * @param {Record<string, unknown>} fields
 * @returns {unknown[] | Record<string, unknown>}
 */
function stored(type, fields) {
  /** @type {any} */
  const out = tuples.has(type) ? [] : {};
  for (const [name, v] of Object.entries(fields)) {
    if (v !== undefined) out[type[name]] = v;
  }
  return out;
}

// RFC 3339 times, in UTC, by the civil calendar's arithmetic rather than
// Date, whose parser also takes other forms and whose years 0 to 99 mean
// 1900 to 1999.

const timeRe = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * The Unix seconds of an RFC 3339 time (a fraction of a second dropped),
 * or undefined when s is not one.
 * @param {string} s
 */
export function parseTime(s) {
  const m = timeRe.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59) return undefined;
  let offset = 0;
  if (m[7]) {
    const oh = Number(m[8]);
    const om = Number(m[9]);
    if (oh > 23 || om > 59) return undefined;
    offset = (m[7] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
}

/**
 * An RFC 3339 time in UTC, to the second, of Unix seconds at or after 1970.
 * @param {number} t
 */
export function formatTime(t) {
  const days = Math.floor(t / 86400);
  let rest = t - days * 86400;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(rest - mi * 60)}Z`;
}

/** @param {number} y @param {number} m */
function daysIn(y, m) {
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the
 * algorithm of Howard Hinnant's "chrono-compatible low-level date
 * algorithms"): years counted from March, in eras of 400 years.
 * @param {number} y @param {number} m @param {number} d
 */
function daysFromCivil(y, m, d) {
  const ym = m <= 2 ? y - 1 : y;
  const era = Math.floor(ym / 400);
  const yoe = ym - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/**
 * The date of a day counted from 1970-01-01, as [year, month, day].
 * @param {number} days
 */
function civilFromDays(days) {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, doy - Math.floor((153 * mp + 2) / 5) + 1];
}

/**
 * The shortest decimal that reads back as the float32 f (the digits of Go's
 * strconv.FormatFloat(f, 'g', -1, 32)), as the number JSON.stringify writes
 * with those digits. Of the decimals with the fewest digits that read back,
 * the one nearest f, and of two as near the one with an even last digit:
 * the nearest decimal of p digits, or one unit of its last digit away (at
 * a power of two f's interval is wider above than below, and toExponential
 * breaks a tie upwards). Distances are compared exactly, in integers. Go's
 * strconv gives the same digits except at some powers of two, where its
 * Dragonbox may choose another decimal of the same length; both read back
 * as f.
 * @param {number} f
 */
export function decimal32(f) {
  if (f === 0) return 0;
  const a = Math.abs(f);
  const [mant, exp2] = binary32(f);
  // Only at a power of two can a decimal other than the nearest read back
  // when the nearest does not.
  const lopsided = (mant & (mant - 1n)) === 0n;
  for (let p = 1; p <= 9; p++) {
    const s = a.toExponential(p - 1);
    if (!lopsided && Math.fround(Number(s)) !== a) continue;
    const [digits, e] = s.split('e');
    const exp10 = Number(e) - (p - 1); // f is about D * 10^exp10
    const near = BigInt(digits.replace('.', ''));
    /** @type {bigint | undefined} */
    let best;
    for (const d of [near - 1n, near, near + 1n]) {
      if (d <= 0n || Math.fround(Number(`${d}e${exp10}`)) !== a) continue;
      if (best === undefined) {
        best = d;
        continue;
      }
      const c = compareDistance(d, best, exp10, mant, exp2);
      if (c < 0 || (c === 0 && d % 2n === 0n)) best = d;
    }
    if (best !== undefined) return (f < 0 ? -1 : 1) * Number(`${best}e${exp10}`);
  }
  return f;
}

/**
 * The float32 |f| as [m, e] with |f| = m * 2^e exactly.
 * @param {number} f
 * @returns {[bigint, number]}
 */
function binary32(f) {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, f);
  const bits = view.getUint32(0) & 0x7fffffff;
  const biased = bits >>> 23;
  const frac = bits & 0x7fffff;
  return biased === 0 ? [BigInt(frac), -149] : [BigInt(frac | 0x800000), biased - 150];
}

/**
 * The sign of |a*10^k - m*2^e| - |b*10^k - m*2^e|, in integers.
 * @param {bigint} a @param {bigint} b @param {number} k @param {bigint} m @param {number} e
 */
function compareDistance(a, b, k, m, e) {
  // Scale every term by 10^max(0,-k) * 2^max(0,-e) so that all are integers.
  const ten = 10n ** BigInt(Math.abs(k));
  const two = 2n ** BigInt(Math.abs(e));
  const dec = (/** @type {bigint} */ d) => (k >= 0 ? d * ten : d) * (e < 0 ? two : 1n);
  const bin = (k < 0 ? m * ten : m) * (e >= 0 ? two : 1n);
  const abs = (/** @type {bigint} */ x) => (x < 0n ? -x : x);
  const da = abs(dec(a) - bin);
  const db = abs(dec(b) - bin);
  return da < db ? -1 : da > db ? 1 : 0;
}
