// Entry module of Hearth's Cloudflare Worker. The Go handler (web/serve,
// compiled into app.wasm from web/worker/main.go) decides every status and
// header; this module gives it the client's request as sent, streams the
// static asset it names as the body, and hands the response to the runtime
// to pass on unchanged.
//
// Protocol with web/worker/manifest (change both together): a response
// whose body is a file carries the file's escaped URL path in the
// Hearth-Asset header and no body of its own; the header is removed and the
// asset, fetched through the ASSETS binding (build/wrangler.toml), becomes
// the body. Every other response passes through as Go wrote it.
//
// shim.mjs and wasm_exec.js are syumai/workers' glue, written at build time
// by workers-assets-gen; this file replaces the worker.mjs it also writes.
import * as glue from "./shim.mjs";
import mod from "./app.wasm";

glue.init(mod);

const assetHeader = "hearth-asset";

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
    const headers = new Headers(res.headers);
    let body = res.body;
    const asset = headers.get(assetHeader);
    if (asset !== null) {
      headers.delete(assetHeader);
      // A plain GET: the client's conditional and encoding headers were
      // the handler's to answer, and the asset is sent as stored.
      const stored = await env.ASSETS.fetch(new URL(asset, req.url));
      if (stored.status !== 200) {
        // The assets and the manifest are uploaded together by one
        // deploy, so this is a broken build, not a missing file.
        throw new Error(`hearth: static asset ${asset}: status ${stored.status}`);
      }
      body = stored.body;
    }
    // "manual": the body is already in the encoding the handler chose (a
    // precompressed sibling or identity); "automatic" would compress it
    // again, under the same strong ETag.
    return new Response(body, {
      status: res.status,
      statusText: res.statusText,
      headers,
      encodeBody: "manual",
    });
  },
};
