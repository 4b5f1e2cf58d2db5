//go:build js && wasm

// Command worker is Hearth's Cloudflare Worker: the handler of web/serve over
// the same files the local server serves, so the edge answers with the same
// bytes and headers (types, ETag, caching, precompressed siblings, CORS,
// security headers) as a publisher's own server.
//
// # Files
//
// The files are embedded from files/, which holds only a placeholder in the
// repository. build/cmd/hearth-worker fills it at build time through a
// compiler overlay, so building never writes into the source tree, and adds
// files/.etags, the files' precomputed entity tags: the Worker starts a fresh
// Go runtime for every request, and hashing a file on each one would cost
// more than serving it.
//
// Embedding rather than Workers static assets keeps one handler in charge of
// every header; static assets would be answered by Cloudflare with its own
// caching and encoding rules before this code runs.
//
// # Build
//
//	go run ./build/cmd/hearth-worker -assets dist -out web/worker/build
//	npx wrangler dev -c build/wrangler.toml
package main

import (
	"bytes"
	"embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"syscall/js"

	"github.com/syumai/workers"

	"github.com/hearth-dev/hearth/web/serve"
)

//go:embed all:files
var files embed.FS

func main() {
	root, err := fs.Sub(files, "files")
	if err != nil {
		panic(err)
	}
	opts := serve.Options{}
	// Without the manifest (a build that skipped it) the handler hashes
	// lazily; slower, still correct.
	if b, err := fs.ReadFile(root, ".etags"); err == nil {
		if opts.ETags, err = serve.UnmarshalETags(b); err != nil {
			panic(err)
		}
	}
	workers.Serve(wholeBodies(serve.New(root, opts)))
}

// rawBodyWriter is implemented by syumai/workers' ResponseWriter: the body
// becomes the given JavaScript value instead of a stream fed through a pipe.
type rawBodyWriter interface {
	WriteRawJSBody(body js.Value)
}

// wholeBodies hands each file to JavaScript in one piece. syumai/workers
// otherwise streams bodies through an io.Pipe and a ReadableStream, which
// loses the handler's Content-Length (the runtime sends a stream of unknown
// length chunked) and fails on empty bodies: the stream's first pull sees
// EOF and ends the Go program while the Response is still being built, so a
// HEAD request got a 500.
func wholeBodies(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, ok := w.(rawBodyWriter)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		h.ServeHTTP(&wholeBodyWriter{ResponseWriter: w, raw: raw, head: r.Method == http.MethodHead}, r)
	})
}

// wholeBodyWriter is the http.ResponseWriter of wholeBodies.
type wholeBodyWriter struct {
	http.ResponseWriter
	raw  rawBodyWriter
	head bool
	body bodyState
}

// bodyState is how a response's body has been sent so far.
type bodyState uint8

const (
	bodyNone   bodyState = iota // nothing written yet
	bodyWhole                   // handed over as one Uint8Array
	bodyStream                  // streamed through syumai/workers' pipe
)

// errBodySent means a handler wrote again after its body was handed over.
var errBodySent = errors.New("worker: response body already sent")

// WriteHeader gives HEAD answers a null body.
func (w *wholeBodyWriter) WriteHeader(code int) {
	if w.head {
		w.raw.WriteRawJSBody(js.Null())
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write discards the body of a HEAD answer, as net/http's server does, and
// sends a body written in one piece (the handler's error messages) whole.
func (w *wholeBodyWriter) Write(p []byte) (int, error) {
	switch {
	case w.head:
		return len(p), nil
	case w.body == bodyWhole:
		return 0, errBodySent
	case w.body == bodyNone && w.Header().Get("Content-Length") == strconv.Itoa(len(p)):
		w.sendWhole(p)
		return len(p), nil
	}
	w.body = bodyStream
	return w.ResponseWriter.Write(p)
}

// ReadFrom is what io.Copy in the handler uses to send a file: the whole
// file in one Uint8Array, sized from Stat when the source can tell.
func (w *wholeBodyWriter) ReadFrom(r io.Reader) (int64, error) {
	if w.head || w.body != bodyNone {
		return io.Copy(struct{ io.Writer }{w}, r)
	}
	size := 0
	if f, ok := r.(fs.File); ok {
		if info, err := f.Stat(); err == nil {
			size = int(info.Size())
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	n, err := buf.ReadFrom(r)
	if err != nil {
		return n, err
	}
	w.sendWhole(buf.Bytes())
	return n, nil
}

// sendWhole makes b, copied into one Uint8Array, the response body.
func (w *wholeBodyWriter) sendWhole(b []byte) {
	body := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(body, b)
	w.raw.WriteRawJSBody(body)
	w.body = bodyWhole
}
