// Decodes each MessagePack message given on stdin in hex (one per line)
// with the Worker's decoder and prints it as JSON, one line each.
import { createInterface } from 'node:readline';
import { decode } from '../../../js/protocol.js';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  console.log(JSON.stringify(decode(Uint8Array.from(Buffer.from(line, 'hex')))));
}
