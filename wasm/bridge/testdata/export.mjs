// Runs the Worker's export mapping (js/export.js) for TestExport_JS, one
// input per line, one output line each:
//   export <hex> <ms>   the file exportText writes of the engine's bytes, as a JSON string
//   import <JSON>       in hex, the bytes importProfile makes of a file's text
//                       (a JSON string), or "refused <message as a JSON string>"
//   decimal <number>    decimal32 of a float32's value
//   time <seconds>      formatTime
//   parse <JSON>        parseTime of a JSON string, or null
import { createInterface } from 'node:readline';
import { ImportError, decimal32, exportText, formatTime, importProfile, parseTime } from '../../../js/export.js';

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [verb, ...args] = line.split(' ');
  const arg = args.join(' ');
  switch (verb) {
    case 'export':
      console.log(JSON.stringify(exportText(Uint8Array.from(Buffer.from(args[0], 'hex')), Number(args[1]))));
      break;
    case 'import':
      try {
        console.log(Buffer.from(importProfile(JSON.parse(arg))).toString('hex'));
      } catch (err) {
        if (!(err instanceof ImportError)) throw err;
        console.log(`refused ${JSON.stringify(err.message)}`);
      }
      break;
    case 'decimal':
      console.log(String(decimal32(Number(arg))));
      break;
    case 'time':
      console.log(formatTime(Number(arg)));
      break;
    case 'parse':
      console.log(String(parseTime(JSON.parse(arg)) ?? null));
      break;
    default:
      throw new Error(`unknown verb ${verb}`);
  }
}
