// Package worker builds Hearth's Cloudflare Worker: the web/serve handler
// compiled to WebAssembly with the publisher's files embedded, plus the
// JavaScript glue that wrangler deploys.
//
// # Output
//
// Build writes four files into Options.Out, the directory build/wrangler.toml
// points at:
//
//	index.mjs     the entry module (web/worker/index.mjs)
//	shim.mjs      syumai/workers' glue, from workers-assets-gen -mode=go
//	wasm_exec.js  the Go runtime's JavaScript half, from the same generator
//	app.wasm      web/worker compiled with GOOS=js GOARCH=wasm
//
// # Embedding without touching the source tree
//
// web/worker embeds its files/ directory, which holds only a placeholder in
// the repository. Build adds the files through a compiler overlay (go build
// -overlay), together with files/.etags, their precomputed entity tags, and
// the asset folder's sibling indexes (web/serve's SiblingIndex), so
// concurrent builds of different file sets never race on the tree.
//
// # Example
//
//	res, err := worker.Build(ctx, worker.Options{Assets: "dist", Out: "web/worker/build"})
//	if err != nil {
//		return err
//	}
//	fmt.Println(res.Wasm.Gzip, "bytes gzip")
package worker

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/hearth-dev/hearth/web/serve"
)

// Cloudflare's limits on a Worker's size after gzip compression.
const (
	FreeLimit = 3 << 20  // Workers Free plan
	PaidLimit = 10 << 20 // Workers Paid plan
)

// ErrNoModule means the Hearth module root could not be found.
var ErrNoModule = errors.New("hearth module root not found")

// glueGenerator is syumai/workers' generator of the JavaScript glue, run
// through the module's own requirement so its version matches the library.
const glueGenerator = "github.com/syumai/workers/cmd/workers-assets-gen"

// Options configure Build. Assets and Out are required.
type Options struct {
	// Assets is the directory whose files the Worker serves (hidden files
	// excepted), for example the asset pipeline's dist/.
	Assets string
	// Include, if set, limits the embedded files to those whose base name
	// matches one of these path.Match patterns. A Worker that serves only
	// the catalogue ("catalogue.msgpack*") fits Cloudflare's free plan; one
	// that also carries the engine does not (see docs/serving.md).
	Include []string
	// Out is the directory the deployable files are written to. Files of
	// other names in it are left alone.
	Out string
	// Root is the Hearth module's root; empty means the module of the
	// current directory (`go env GOMOD`).
	Root string
	// Go is the go command; empty means "go" from PATH.
	Go string
	// Stderr receives the output of the commands Build runs; nil discards it.
	Stderr io.Writer
}

// Size is the size of a file raw and compressed.
type Size struct {
	Raw, Gzip, Brotli int64
}

// Result describes a build.
type Result struct {
	// Files are the embedded files' names, sorted.
	Files []string
	// Wasm is the size of app.wasm.
	Wasm Size
	// Bundle is the size of everything uploaded (app.wasm and the glue),
	// compressed one file at a time, which is what Cloudflare's limits
	// (FreeLimit, PaidLimit) are measured against.
	Bundle Size
}

// Build compiles the Worker serving the files of opts.Assets into opts.Out.
func Build(ctx context.Context, opts Options) (*Result, error) {
	if opts.Assets == "" || opts.Out == "" {
		return nil, errors.New("build worker: assets and out directories are required")
	}
	goCmd := opts.Go
	if goCmd == "" {
		goCmd = "go"
	}
	stderr := opts.Stderr
	if stderr == nil {
		stderr = io.Discard
	}
	root, err := moduleRoot(ctx, goCmd, opts.Root)
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	assets, err := filepath.Abs(opts.Assets)
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	tmp, err := os.MkdirTemp("", "hearth-worker-")
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	defer os.RemoveAll(tmp)

	for _, p := range opts.Include {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("build worker: include %q: %w", p, err)
		}
	}
	files, overlay, err := embedOverlay(root, assets, tmp, opts.Include)
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	overlayPath := filepath.Join(tmp, "overlay.json")
	b, err := json.Marshal(map[string]any{"Replace": overlay})
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	if err := os.WriteFile(overlayPath, b, 0o644); err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}

	// The generator empties its output directory first, so it writes into
	// a directory of its own and only the two files needed are copied.
	glue := filepath.Join(tmp, "glue")
	if err := run(ctx, root, nil, stderr, goCmd, "run", glueGenerator, "-mode=go", "-o", glue); err != nil {
		return nil, fmt.Errorf("build worker: generate glue: %w", err)
	}
	for _, name := range []string{"shim.mjs", "wasm_exec.js"} {
		if err := copyFile(filepath.Join(out, name), filepath.Join(glue, name)); err != nil {
			return nil, fmt.Errorf("build worker: %w", err)
		}
	}
	if err := copyFile(filepath.Join(out, "index.mjs"), filepath.Join(root, "web", "worker", "index.mjs")); err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}

	wasm := filepath.Join(out, "app.wasm")
	// -s -w drop the symbol table and debug data: 110 KB of the raw wasm
	// that every cold start would compile for nothing.
	env := []string{"GOOS=js", "GOARCH=wasm"}
	if err := run(ctx, root, env, stderr, goCmd, "build", "-trimpath", "-ldflags=-s -w",
		"-overlay", overlayPath, "-o", wasm, "./web/worker"); err != nil {
		return nil, fmt.Errorf("build worker: compile: %w", err)
	}

	res := &Result{Files: files}
	for _, name := range []string{"app.wasm", "shim.mjs", "wasm_exec.js", "index.mjs"} {
		s, err := measure(filepath.Join(out, name))
		if err != nil {
			return nil, fmt.Errorf("build worker: %w", err)
		}
		if name == "app.wasm" {
			res.Wasm = s
		}
		res.Bundle.Raw += s.Raw
		res.Bundle.Gzip += s.Gzip
		res.Bundle.Brotli += s.Brotli
	}
	return res, nil
}

// moduleRoot returns root, or the directory of the current module's go.mod.
func moduleRoot(ctx context.Context, goCmd, root string) (string, error) {
	if root != "" {
		return filepath.Abs(root)
	}
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, goCmd, "env", "GOMOD")
	cmd.Stdout = &buf
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(buf.String())
	if gomod == "" || gomod == os.DevNull {
		return "", ErrNoModule
	}
	return filepath.Dir(gomod), nil
}

// embedOverlay maps every non-hidden regular file of assets into
// web/worker/files and adds the entity tag manifest, written into tmp.
func embedOverlay(root, assets, tmp string, include []string) ([]string, map[string]string, error) {
	fsys := os.DirFS(assets)
	included := func(name string) bool {
		if len(include) == 0 {
			return true
		}
		for _, p := range include {
			if ok, _ := path.Match(p, path.Base(name)); ok {
				return true
			}
		}
		return false
	}
	tags := map[string]string{}
	dest := filepath.Join(root, "web", "worker", "files")
	overlay := map[string]string{}
	var files []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			// The handler never serves hidden files, so they are not
			// shipped, except the sibling indexes it checks
			// precompressed files against.
			if d.IsDir() {
				return fs.SkipDir
			}
			if d.Name() == serve.SiblingIndex && d.Type().IsRegular() {
				overlay[filepath.Join(dest, filepath.FromSlash(name))] = filepath.Join(assets, filepath.FromSlash(name))
			}
			return nil
		}
		if !d.Type().IsRegular() || !included(name) {
			return nil
		}
		tag, err := serve.ComputeETag(fsys, name)
		if err != nil {
			return err
		}
		tags[name] = tag
		overlay[filepath.Join(dest, filepath.FromSlash(name))] = filepath.Join(assets, filepath.FromSlash(name))
		files = append(files, name)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read assets: %w", err)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("read assets: no files in %s", assets)
	}
	manifest, err := serve.MarshalETags(tags)
	if err != nil {
		return nil, nil, err
	}
	manifestPath := filepath.Join(tmp, "etags")
	if err := os.WriteFile(manifestPath, manifest, 0o644); err != nil {
		return nil, nil, err
	}
	overlay[filepath.Join(dest, ".etags")] = manifestPath
	slices.Sort(files)
	return files, overlay, nil
}

// run runs a command in dir with extra environment variables.
func run(ctx context.Context, dir string, env []string, stderr io.Writer, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = stderr
	cmd.Stderr = stderr
	return cmd.Run()
}

// copyFile copies src to dst.
func copyFile(dst, src string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// measure returns the raw, gzip and brotli sizes of a file, both at their
// best compression, as a CDN or the deploy upload would use.
func measure(name string) (Size, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return Size{}, err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return Size{}, err
	}
	if _, err := zw.Write(b); err != nil {
		return Size{}, err
	}
	if err := zw.Close(); err != nil {
		return Size{}, err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := bw.Write(b); err != nil {
		return Size{}, err
	}
	if err := bw.Close(); err != nil {
		return Size{}, err
	}
	return Size{Raw: int64(len(b)), Gzip: int64(gz.Len()), Brotli: int64(br.Len())}, nil
}
