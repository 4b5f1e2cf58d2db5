// Ranks a catalogue for a profile with the JavaScript reference and prints
// the ids, best first, one a line. Arguments: the catalogue file, the
// profile file (both MessagePack), now in Unix milliseconds and the count.
import { readFileSync } from 'node:fs';
import { decode } from '../../../js/protocol.js';
import { load, recommend } from '../jsref/rank.js';

const [catFile, profFile, now, count] = process.argv.slice(2);
const model = load(decode(new Uint8Array(readFileSync(catFile))));
const prof = decode(new Uint8Array(readFileSync(profFile)));
for (const r of recommend(model, prof, { now: Number(now), count: Number(count) })) console.log(r.id);
