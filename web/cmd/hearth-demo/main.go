// Command hearth-demo serves the demo publisher site with Hearth on it: the
// site at / and the files the asset pipeline built at /hearth/.
//
//	go run ./build/cmd/hearth-assets -out dist
//	go run ./web/cmd/hearth-demo -addr 127.0.0.1:8080 -assets dist
//
// The address defaults to 127.0.0.1 and the PORT environment variable (8080
// when unset).
package main

import (
	"errors"
	"flag"
	"fmt"
	"github.com/hearth-dev/hearth/web/serve"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/hearth-dev/hearth/web/demo"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	addr := flag.String("addr", net.JoinHostPort("127.0.0.1", port), "address to listen on")
	dist := flag.String("assets", "dist", "folder the asset pipeline wrote (make assets)")
	consent := flag.String("consent", "", `publisher's consent default: "opt-in" (the loader's default) or "opt-out"`)
	flag.Parse()
	if err := run(*addr, *dist, *consent); err != nil {
		fmt.Fprintln(os.Stderr, "hearth-demo:", err)
		os.Exit(1)
	}
}

func run(addr, dist, consent string) error {
	dir := filepath.Join(dist, serve.Dir)
	if _, err := os.Stat(filepath.Join(dir, serve.Wasm)); err != nil {
		return fmt.Errorf("no built assets in %s: run `make assets` first (%w)", dir, err)
	}
	handler, err := demo.NewServer(os.DirFS(dir), demo.Options{Consent: consent})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("Hearth demo: http://%s/\n", ln.Addr())
	if err := newServer(handler).Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// idleTimeout closes a kept-alive connection that has carried no request
// for a minute: a page asks for everything it needs within seconds of
// loading, and without a limit (zero falls back to ReadTimeout, also zero)
// idle connections would be held open for as long as clients like.
const idleTimeout = time.Minute

// newServer returns the demo's server for handler.
func newServer(handler http.Handler) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: idleTimeout}
}
