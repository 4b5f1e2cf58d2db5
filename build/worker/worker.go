// Package worker builds Hearth's Cloudflare Worker for the Workers free plan:
// the publisher's files as Workers static assets, and the web/serve handler,
// compiled to WebAssembly, in front of them deciding every status and header.
//
// # Output
//
// Build writes into Options.Out, the directory build/wrangler.toml points at:
//
//	assets/       the files served, as Workers static assets (hidden files left out)
//	index.mjs     the entry module (web/worker/index.mjs)
//	shim.mjs      syumai/workers' glue, from workers-assets-gen -mode=go
//	wasm_exec.js  the Go runtime's JavaScript half, from the same generator
//	app.wasm      web/worker compiled with GOOS=js GOARCH=wasm
//
// # What is static, what runs code
//
// Every request runs the Worker (run_worker_first): the answers web/serve
// gives cannot be had from static assets and a _headers file, whose server
// sends its own ETag (and answers If-None-Match only against it), has no
// precompressed siblings (Cloudflare compresses by itself, so neither the
// bytes nor the sibling index's check would be the handler's), and answers
// OPTIONS and POST with 405. The module holds no file: web/worker embeds,
// through a compiler overlay (go build -overlay, so concurrent builds of
// different file sets never race on the source tree), the assets' manifest
// (web/worker/manifest: sizes and precomputed entity tags) and the asset
// folder's sibling indexes (web/serve's SiblingIndex). The bytes stay static
// assets, streamed by index.mjs.
//
// # Example
//
//	res, err := worker.Build(ctx, worker.Options{Assets: "dist", Out: "web/worker/build"})
//	if err != nil {
//		return err
//	}
//	if err := res.FreePlan(); err != nil {
//		return err // too large for the Workers free plan
//	}
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

	"github.com/hearth-dev/hearth/web/serve"
	"github.com/hearth-dev/hearth/web/worker/manifest"
)

// Cloudflare's limits: on a Worker's size after gzip compression (the script
// and its wasm, not its static assets), and on static assets.
const (
	FreeLimit = 3 << 20  // Worker size, Workers Free plan
	PaidLimit = 10 << 20 // Worker size, Workers Paid plan
	// AssetFilesLimit is the number of static asset files per Worker
	// version (free plan; the paid plan allows more).
	AssetFilesLimit = 20_000
	// AssetSizeLimit is the size of one static asset file, on every plan.
	AssetSizeLimit = 25 << 20
)

// ErrNoModule means the Hearth module root could not be found.
var ErrNoModule = errors.New("hearth module root not found")

// ErrTooLarge means a build exceeds one of Cloudflare's free-plan limits.
var ErrTooLarge = errors.New("over the Workers free plan's limits")

// glueGenerator is syumai/workers' generator of the JavaScript glue, run
// through the module's own requirement so its version matches the library.
const glueGenerator = "github.com/syumai/workers/cmd/workers-assets-gen"

// AssetsDir is the folder of Options.Out that holds the static assets.
const AssetsDir = "assets"

// Options configure Build. Assets and Out are required.
type Options struct {
	// Assets is the directory whose files the Worker serves (hidden files
	// excepted), for example the asset pipeline's dist/.
	Assets string
	// Include, if set, limits the served files to those whose base name
	// matches one of these path.Match patterns, such as
	// "catalogue.msgpack*" for a Worker that serves only the catalogue.
	Include []string
	// Out is the directory the deployable files are written to. Its
	// assets/ folder is replaced; files of other names are left alone.
	Out string
	// Root is the Hearth module's root; empty means the module of the
	// current directory (`go env GOMOD`).
	Root string
	// Go is the go command; empty means "go" from PATH.
	Go string
	// Stderr receives the output of the commands Build runs; nil discards it.
	Stderr io.Writer
}

// Size is the size of a file, or of the files uploaded as the Worker, raw
// and compressed.
type Size struct {
	Raw, Gzip int64
}

// Assets describes the static assets.
type Assets struct {
	Files int   // number of files
	Bytes int64 // their total size
	// Largest is the name of the largest file, of LargestSize bytes.
	Largest     string
	LargestSize int64
}

// Result describes a build.
type Result struct {
	// Files are the served files' names, sorted.
	Files []string
	// Wasm is the size of app.wasm.
	Wasm Size
	// Bundle is the size of the Worker as uploaded (app.wasm and the
	// JavaScript), gzip-compressed together at the default level as
	// wrangler measures it against Cloudflare's limits (FreeLimit,
	// PaidLimit). Static assets do not count.
	Bundle Size
	// Assets are the static assets, limited separately.
	Assets Assets
}

// FreePlan returns an error wrapping ErrTooLarge if r exceeds a limit of
// Cloudflare's Workers free plan, nil if it fits.
func (r *Result) FreePlan() error {
	var over []string
	if r.Bundle.Gzip > FreeLimit {
		over = append(over, fmt.Sprintf("the Worker is %d bytes gzip, over %d", r.Bundle.Gzip, FreeLimit))
	}
	if r.Assets.Files > AssetFilesLimit {
		over = append(over, fmt.Sprintf("%d static asset files, over %d", r.Assets.Files, AssetFilesLimit))
	}
	if r.Assets.LargestSize > AssetSizeLimit {
		over = append(over, fmt.Sprintf("static asset %s is %d bytes, over %d", r.Assets.Largest, r.Assets.LargestSize, AssetSizeLimit))
	}
	if over != nil {
		return fmt.Errorf("%w: %s", ErrTooLarge, strings.Join(over, "; "))
	}
	return nil
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
	static, err := copyAssets(assets, out, opts.Include)
	if err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	files, overlay, err := embedOverlay(root, assets, static, tmp)
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
	if res.Wasm, err = measure(wasm); err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	// wrangler bundles the three scripts into one module; their
	// concatenation compresses within a few hundred bytes of it.
	if res.Bundle, err = measure(wasm, filepath.Join(out, "index.mjs"), filepath.Join(out, "shim.mjs"), filepath.Join(out, "wasm_exec.js")); err != nil {
		return nil, fmt.Errorf("build worker: %w", err)
	}
	for _, name := range files {
		info, err := os.Stat(filepath.Join(static, filepath.FromSlash(name)))
		if err != nil {
			return nil, fmt.Errorf("build worker: %w", err)
		}
		res.Assets.Files++
		res.Assets.Bytes += info.Size()
		if info.Size() > res.Assets.LargestSize {
			res.Assets.Largest, res.Assets.LargestSize = name, info.Size()
		}
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

// copyAssets copies every non-hidden regular file of assets whose base name
// matches include (all when empty) into a fresh out/assets, the folder
// wrangler uploads as static assets, and returns that folder.
func copyAssets(assets, out string, include []string) (string, error) {
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
	// Filled beside its destination, then renamed into place, so an
	// interrupted build leaves no half-copied assets folder.
	tmp, err := os.MkdirTemp(out, ".assets-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", err
	}
	n := 0
	err = fs.WalkDir(os.DirFS(assets), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// The handler never serves hidden files, so they are not uploaded.
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !included(name) {
			return nil
		}
		dst := filepath.Join(tmp, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		n++
		return copyFile(dst, filepath.Join(assets, filepath.FromSlash(name)))
	})
	if err != nil {
		return "", fmt.Errorf("read assets: %w", err)
	}
	if n == 0 {
		return "", fmt.Errorf("read assets: no files in %s", assets)
	}
	dest := filepath.Join(out, AssetsDir)
	if err := os.RemoveAll(dest); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		return "", err
	}
	return dest, nil
}

// embedOverlay maps the manifest of the static assets in static (written
// into tmp) and the sibling indexes of assets into web/worker/files, and
// returns the served files' names.
func embedOverlay(root, assets, static, tmp string) ([]string, map[string]string, error) {
	files, err := manifest.Scan(os.DirFS(static))
	if err != nil {
		return nil, nil, err
	}
	b, err := manifest.Marshal(files)
	if err != nil {
		return nil, nil, err
	}
	manifestPath := filepath.Join(tmp, "manifest")
	if err := os.WriteFile(manifestPath, b, 0o644); err != nil {
		return nil, nil, err
	}
	dest := filepath.Join(root, "web", "worker", "files")
	overlay := map[string]string{filepath.Join(dest, manifest.Name): manifestPath}
	// The handler checks each precompressed sibling against its folder's
	// index, so the Worker refuses a stale one as the local handler does.
	// Indexes are read from assets: hidden, they were not copied.
	err = fs.WalkDir(os.DirFS(assets), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return fs.SkipDir
		}
		if d.Name() == serve.SiblingIndex && d.Type().IsRegular() {
			overlay[filepath.Join(dest, filepath.FromSlash(name))] = filepath.Join(assets, filepath.FromSlash(name))
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read assets: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, overlay, nil
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

// measure returns the raw and gzip sizes of the files concatenated, at
// gzip's default level, as wrangler measures a Worker's upload.
func measure(names ...string) (Size, error) {
	var raw bytes.Buffer
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return Size{}, err
		}
		raw.Write(b)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return Size{}, err
	}
	if err := zw.Close(); err != nil {
		return Size{}, err
	}
	return Size{Raw: int64(raw.Len()), Gzip: int64(gz.Len())}, nil
}
