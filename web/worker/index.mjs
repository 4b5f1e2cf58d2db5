// Entry module of Hearth's Cloudflare Worker. The Go handler (web/serve,
// compiled into app.wasm from web/worker/main.go) decides every status,
// header and byte; this module gives it the client's request as sent and
// hands its response to the runtime to pass on unchanged.
//
// shim.mjs and wasm_exec.js are syumai/workers' glue, written at build time
// by workers-assets-gen; this file replaces the worker.mjs it also writes.
import * as glue from "./shim.mjs";
import mod from "./app.wasm";

glue.init(mod);

export default {
  async fetch(req, env, ctx) {
    // Cloudflare replaces Accept-Encoding with "br, gzip" before a Worker
    // runs and keeps the client's own in cf.clientAcceptEncoding. The
    // handler chooses among the precompressed siblings itself, so it must
    // see what the client accepts.
    const accept = req.cf?.clientAcceptEncoding;
    if (accept !== undefined) {
      const headers = new Headers(req.headers);
      if (accept === "") {
        headers.delete("accept-encoding");
      } else {
        headers.set("accept-encoding", accept);
      }
      req = new Request(req, { headers });
    }
    const res = await glue.fetch(req, env, ctx);
    // "manual": the body is already in the encoding the handler chose (a
    // precompressed sibling or identity); "automatic" would compress it
    // again, under the same strong ETag.
    return new Response(res.body, {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
      encodeBody: "manual",
    });
  },
};
