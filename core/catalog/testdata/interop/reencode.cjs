// Reads a MessagePack file with @msgpack/msgpack and writes it again with
// the library's default options, as a publisher's own JavaScript tool that
// edits a catalogue would (interop_test.go):
//
//   node reencode.cjs <the @msgpack/msgpack folder> <in> <out>
'use strict';
const fs = require('fs');
const { decode, encode } = require(process.argv[2]);
fs.writeFileSync(process.argv[4], encode(decode(fs.readFileSync(process.argv[3]))));
