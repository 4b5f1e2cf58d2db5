// Ranks a catalogue for a profile with the JavaScript reference and prints
// the list as JSON: [{id, reasons: [{code, text, ref}]}], best first.
// Arguments: the catalogue file, the profile file (both MessagePack), now in
// Unix milliseconds, the count and the seed.
import { readFileSync } from 'node:fs';
import { decode } from '../../../js/protocol.js';
import { load, recommend } from '../jsref/rank.js';

const [catFile, profFile, now, count, seed] = process.argv.slice(2);
const model = load(decode(new Uint8Array(readFileSync(catFile))));
const prof = decode(new Uint8Array(readFileSync(profFile)));
const recs = recommend(model, prof, { now: Number(now), count: Number(count), seed: Number(seed) });
console.log(JSON.stringify(recs.map((r) => ({
  id: r.id,
  reasons: r.reasons.map((x) => ({ code: x.code, text: x.text, ref: x.ref || '' })),
}))));
