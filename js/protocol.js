// JS and Go exchange MessagePack messages as bytes (a Uint8Array on the JS
// side, a []byte here), never trees of js.Value. A request is a map with an
// "op" string, the page clock "now" in Unix milliseconds and the operation's
// arguments; the response is a map that carries "code" (a stable error code)
// and "msg" when the operation failed, and otherwise the operation's results.
// After every operation that changes the profile the response carries the
// new profile bytes in "profile", which the Worker stores as they are; a
// failed operation carries none, so it can never overwrite a stored profile.
//
// The Go half of this protocol is wasm/bridge (bridge.go, message.go): both
// open with the paragraph above and change in the same commit (a test
// compares them).
//
// This module is the Worker's half: the small MessagePack codec the messages
// need (maps, strings, numbers, booleans, binary, arrays; no extension
// types). The operations, their arguments, results and error codes are
// declared once in wasm/bridge/ops.go; ops.gen.js (the constants) and
// protocol.gen.d.ts (the types) are generated from there.

import { float32Keys } from './ops.gen.js';

// The float32 request keys are declared with the messages in Go.
const float32 = new Set(float32Keys);

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/**
 * Encodes one request map.
 * @param {Record<string, unknown>} msg
 * @returns {Uint8Array}
 */
export function encode(msg) {
  const w = new Writer();
  w.value(msg, '');
  return w.bytes();
}

/** A number the encoder writes as a float32, whatever its key. */
export class Float32 {
  /** @param {number} value */
  constructor(value) {
    this.value = value;
  }
}

/**
 * Encodes one value whose float32 numbers are marked as Float32, and every
 * other number an integer when it is a safe one and a float64 otherwise:
 * the profile an import makes (export.js).
 * @param {unknown} v
 * @returns {Uint8Array}
 */
export function encodeValue(v) {
  const w = new Writer(new Set());
  w.value(v, '');
  return w.bytes();
}

/**
 * Decodes one response map.
 * @param {Uint8Array} bytes
 * @returns {any}
 */
export function decode(bytes) {
  const r = new Reader(bytes);
  const v = r.value(0);
  if (r.pos !== bytes.length) throw new Error('msgpack: trailing bytes');
  return v;
}

class Writer {
  /** @param {ReadonlySet<string>} [keys] the keys whose numbers are written as float32 */
  constructor(keys = float32) {
    this.float32Keys = keys;
    this.buf = new Uint8Array(256);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  bytes() {
    return this.buf.slice(0, this.pos);
  }

  /** @param {number} n bytes about to be written */
  ensure(n) {
    if (this.pos + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** @param {number} b */
  u8(b) {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /**
   * Writes a type byte and a big-endian length of size bytes.
   * @param {number} b
   * @param {0 | 1 | 2 | 4} size
   * @param {number} v
   */
  head(b, size, v) {
    this.ensure(1 + size);
    this.buf[this.pos++] = b;
    if (size === 1) this.view.setUint8(this.pos, v);
    else if (size === 2) this.view.setUint16(this.pos, v);
    else if (size === 4) this.view.setUint32(this.pos, v);
    this.pos += size;
  }

  /** @param {Uint8Array} bytes */
  raw(bytes) {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * @param {unknown} v
   * @param {string} key the map key v is the value of, or ''
   */
  value(v, key) {
    if (v === null || v === undefined) return this.u8(0xc0);
    if (v === true) return this.u8(0xc3);
    if (v === false) return this.u8(0xc2);
    if (typeof v === 'number') return this.number(v, this.float32Keys.has(key));
    if (v instanceof Float32) return this.number(v.value, true);
    if (typeof v === 'string') {
      const b = utf8.encode(v);
      if (b.length < 32) this.u8(0xa0 | b.length);
      else if (b.length < 0x100) this.head(0xd9, 1, b.length);
      else if (b.length < 0x10000) this.head(0xda, 2, b.length);
      else this.head(0xdb, 4, b.length);
      return this.raw(b);
    }
    if (v instanceof Uint8Array) {
      if (v.length < 0x100) this.head(0xc4, 1, v.length);
      else if (v.length < 0x10000) this.head(0xc5, 2, v.length);
      else this.head(0xc6, 4, v.length);
      return this.raw(v);
    }
    if (Array.isArray(v)) {
      if (v.length < 16) this.u8(0x90 | v.length);
      else if (v.length < 0x10000) this.head(0xdc, 2, v.length);
      else this.head(0xdd, 4, v.length);
      for (const x of v) this.value(x, '');
      return;
    }
    if (typeof v === 'object') {
      // Absent and null arguments are left out: every Go field but op and
      // now is omitempty, and msgp cannot read nil into a string.
      const entries = Object.entries(v).filter(([, x]) => x !== undefined && x !== null);
      if (entries.length < 16) this.u8(0x80 | entries.length);
      else this.head(0xde, 2, entries.length);
      for (const [k, x] of entries) {
        this.value(k, '');
        this.value(x, k);
      }
      return;
    }
    throw new TypeError(`msgpack: cannot encode ${typeof v}`);
  }

  /**
   * @param {number} n
   * @param {boolean} asFloat32
   */
  number(n, asFloat32) {
    if (asFloat32) {
      this.ensure(5);
      this.buf[this.pos++] = 0xca;
      this.view.setFloat32(this.pos, n);
      this.pos += 4;
      return;
    }
    if (!Number.isSafeInteger(n)) {
      this.ensure(9);
      this.buf[this.pos++] = 0xcb;
      this.view.setFloat64(this.pos, n);
      this.pos += 8;
      return;
    }
    if (n >= 0) {
      if (n < 0x80) return this.u8(n);
      if (n < 0x100) return this.head(0xcc, 1, n);
      if (n < 0x10000) return this.head(0xcd, 2, n);
      if (n < 0x100000000) return this.head(0xce, 4, n);
      this.ensure(9);
      this.buf[this.pos++] = 0xcf;
      this.view.setBigUint64(this.pos, BigInt(n));
      this.pos += 8;
      return;
    }
    if (n >= -32) return this.u8(n & 0xff);
    this.ensure(9);
    this.buf[this.pos++] = 0xd3;
    this.view.setBigInt64(this.pos, BigInt(n));
    this.pos += 8;
  }
}

// Nesting deeper than this is not a Hearth message.
const maxDepth = 32;

class Reader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
  }

  /**
   * Consumes n bytes and returns where they start.
   * @param {number} n
   */
  take(n) {
    if (this.pos + n > this.buf.length) throw new Error('msgpack: short bytes');
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** @param {number} n */
  str(n) {
    const at = this.take(n);
    const b = this.buf;
    // Most of a message's strings are short and ASCII (keys, ids, codes,
    // reasons), and TextDecoder's cost per call is most of what such a
    // string costs: by hand, a recommend response of ten items decodes in
    // two thirds of the time (30 -> 20 µs under Node). Anything else goes
    // to TextDecoder, so the result is the same.
    if (n <= 64) {
      let s = '';
      for (let i = at; i < at + n; i++) {
        const c = b[i];
        if (c >= 0x80) return utf8Decoder.decode(b.subarray(at, at + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8Decoder.decode(b.subarray(at, at + n));
  }

  /** @param {number} n */
  bin(n) {
    const at = this.take(n);
    return this.buf.slice(at, at + n);
  }

  /**
   * @param {number} n
   * @param {number} depth
   * @returns {unknown[]}
   */
  arr(n, depth) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth + 1));
    return out;
  }

  /**
   * @param {number} n
   * @param {number} depth
   * @returns {Record<string, unknown>}
   */
  map(n, depth) {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (let i = 0; i < n; i++) {
      const k = this.value(depth + 1);
      if (typeof k !== 'string') throw new Error('msgpack: map key is not a string');
      out[k] = this.value(depth + 1);
    }
    return out;
  }

  /**
   * @param {number} depth
   * @returns {unknown}
   */
  value(depth) {
    if (depth > maxDepth) throw new Error('msgpack: nested too deep');
    const b = this.buf[this.take(1)];
    const v = this.view;
    if (b < 0x80) return b;
    if (b < 0x90) return this.map(b & 0x0f, depth);
    if (b < 0xa0) return this.arr(b & 0x0f, depth);
    if (b < 0xc0) return this.str(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(v.getUint8(this.take(1)));
      case 0xc5: return this.bin(v.getUint16(this.take(2)));
      case 0xc6: return this.bin(v.getUint32(this.take(4)));
      case 0xca: return v.getFloat32(this.take(4));
      case 0xcb: return v.getFloat64(this.take(8));
      case 0xcc: return v.getUint8(this.take(1));
      case 0xcd: return v.getUint16(this.take(2));
      case 0xce: return v.getUint32(this.take(4));
      case 0xcf: return Number(v.getBigUint64(this.take(8)));
      case 0xd0: return v.getInt8(this.take(1));
      case 0xd1: return v.getInt16(this.take(2));
      case 0xd2: return v.getInt32(this.take(4));
      case 0xd3: return Number(v.getBigInt64(this.take(8)));
      case 0xd9: return this.str(v.getUint8(this.take(1)));
      case 0xda: return this.str(v.getUint16(this.take(2)));
      case 0xdb: return this.str(v.getUint32(this.take(4)));
      case 0xdc: return this.arr(v.getUint16(this.take(2)), depth);
      case 0xdd: return this.arr(v.getUint32(this.take(4)), depth);
      case 0xde: return this.map(v.getUint16(this.take(2)), depth);
      case 0xdf: return this.map(v.getUint32(this.take(4)), depth);
    }
    throw new Error(`msgpack: unsupported type 0x${b.toString(16)}`);
  }
}
