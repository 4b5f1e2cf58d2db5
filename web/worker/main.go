//go:build js && wasm

// Command worker is Hearth's Cloudflare Worker: the handler of web/serve over
// the same files the local server serves, so the edge answers with the same
// status, headers (types, ETag, caching, precompressed siblings, CORS,
// security headers) and bytes as a publisher's own server.
//
// # Files
//
// The files are Workers static assets, uploaded beside the Worker and not
// part of it, so the Worker fits the free plan's 3 MiB. The module embeds
// only files/, which holds a placeholder in the repository and, at build
// time (build/cmd/hearth-worker, through a compiler overlay), the manifest of
// the assets (web/worker/manifest: each file's size and precomputed entity
// tag) and the folders' sibling indexes. The handler decides every answer
// from them; where it sends a file, the response names the asset and
// index.mjs streams it from the static-assets binding, so no file's bytes
// pass through Go.
//
// # Build
//
//	go run ./build/cmd/hearth-worker -assets dist -out web/worker/build
//	npx wrangler dev -c build/wrangler.toml
package main

import (
	"embed"
	"io/fs"
	"net/http"
	"syscall/js"

	"github.com/syumai/workers"

	"github.com/hearth-dev/hearth/web/serve"
	"github.com/hearth-dev/hearth/web/worker/manifest"
)

//go:embed all:files
var files embed.FS

func main() {
	root, err := fs.Sub(files, "files")
	if err != nil {
		panic(err)
	}
	b, err := fs.ReadFile(root, manifest.Name)
	if err != nil {
		panic("worker: built without its asset manifest: " + err.Error())
	}
	assets, err := manifest.Unmarshal(b)
	if err != nil {
		panic(err)
	}
	h := serve.New(manifest.NewFS(assets, root), serve.Options{ETags: manifest.ETags(assets)})
	workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := manifest.Record(h, r)
		if raw, ok := w.(rawBodyWriter); ok {
			// The body, if any, is a short error message: handed over
			// whole, so the runtime knows its length. syumai/workers would
			// otherwise stream it through a pipe, sending it chunked.
			body := js.Null()
			if len(res.Body) > 0 {
				body = js.Global().Get("Uint8Array").New(len(res.Body))
				js.CopyBytesToJS(body, res.Body)
			}
			raw.WriteRawJSBody(body)
			res.Body = nil
		}
		res.Write(w)
	}))
}

// rawBodyWriter is implemented by syumai/workers' ResponseWriter: the body
// becomes the given JavaScript value instead of a stream fed through a pipe.
type rawBodyWriter interface {
	WriteRawJSBody(body js.Value)
}
