// Encodes each JSON request given on stdin (one per line) with the Worker's
// MessagePack encoder and prints the bytes in hex, one line each. Strings
// prefixed "bytes:" become Uint8Arrays of their hex digits.
import { createInterface } from 'node:readline';
import { encode } from '../../../js/protocol.js';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const req = JSON.parse(line, (_, v) =>
    typeof v === 'string' && v.startsWith('bytes:') ? Uint8Array.from(Buffer.from(v.slice(6), 'hex')) : v);
  console.log(Buffer.from(encode(req)).toString('hex'));
}
