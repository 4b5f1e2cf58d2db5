// Converts export documents with the Worker's functions (js/protocol.js),
// one input per line: "text <hex>" prints the file docText writes of a
// document, as a JSON string; "doc <JSON string>" prints in hex the
// document encodeDoc makes of what JSON.parse reads from the text.
import { createInterface } from 'node:readline';
import { docText, encodeDoc } from '../../../js/protocol.js';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [verb, arg] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
  if (verb === 'text') console.log(JSON.stringify(docText(Uint8Array.from(Buffer.from(arg, 'hex')))));
  else console.log(Buffer.from(encodeDoc(JSON.parse(JSON.parse(arg)))).toString('hex'));
}
