// Package assets builds everything a publisher serves for Hearth into one
// folder: the engine (hearth.wasm, built for GOOS=js GOARCH=wasm), the
// toolchain's wasm_exec.js, the loader and Worker scripts (bundled and
// minified with esbuild), the demo catalogue, and a brotli and a gzip
// sibling of each file for servers that send precompressed bytes, written
// with build/assets/precompress: each file and its siblings by rename, and
// the folder's sibling index, so that web/serve never sends a sibling of
// other bytes.
//
// # Layout
//
// Build writes into outDir/hearth/, the folder a site serves at /hearth/:
//
//	hearth.js          the loader, an ES module
//	hearth-worker.js   the Worker, a classic script (it importScripts wasm_exec.js)
//	wasm_exec.js       copied from the Go toolchain that built hearth.wasm
//	hearth.wasm        the engine
//	catalogue.msgpack  the demo publisher's catalogue, unless a publisher's is there
//	catalogue.json     its manifest (pack.Manifest)
//
// # The catalogue
//
// A build writes the demo catalogue (id [DemoID]) only when
// outDir/hearth/catalogue.msgpack is absent or is the demo's own. Any other
// catalogue there, a publisher's written by hearth-catalog, is kept (its
// siblings are refreshed if they do not match it), and so is a publisher's
// catalogue in segments (catalogue.json naming a content-hashed base), so
// the asset build and the catalogue build can run in either order. Delete
// the file, or the manifest, to get the demo's back.
//
// # Example
//
//	report, err := assets.Build("dist", assets.Options{})
//	if err != nil {
//		return fmt.Errorf("build assets: %w", err)
//	}
//	for _, f := range report.Files {
//		fmt.Println(f.Name, f.Raw, f.Brotli)
//	}
package assets

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
)

// WasmTags are the build tags of the engine. Every wasm build goes through
// this one constant. hearthlean swaps the msgp runtime for the lean codecs on
// core/wire (core/catalog, core/profile, wasm/bridge): 4.44 MB raw before,
// 4.17 MB after, with the msgp codecs still the reference they are fuzzed
// against.
const WasmTags = "hearthlean"

// WasmExperiment is the engine's GOEXPERIMENT. nogreenteagc builds the
// runtime with Go's previous mark phase instead of the Green Tea collector,
// default since Go 1.26, whose code the engine does not need: the Worker runs
// one thread, and Green Tea's gains come from scanning memory in parallel
// and with better locality on many cores. It makes the engine 9.5 KB of
// brotli smaller (620.5 -> 611.0 KB, docs/size.md). Go plans to remove the
// opt-out in Go 1.27; the build then fails until this is emptied.
const WasmExperiment = "nogreenteagc"

// ErrBuild reports a step of the build that failed.
var ErrBuild = errors.New("assets: build failed")

// Options configure a build. The zero value builds from the module that
// contains the working directory with the go command on PATH.
type Options struct {
	// Root is the module root (the folder of go.mod); "" finds it from
	// the working directory.
	Root string
	// Go is the go command; "" means "go".
	Go string
	// Catalogue, if set, is shipped instead of the demo catalogue, and
	// replaces any catalogue already there. It is decoded and written
	// with pack.WriteWith, so re-encoded by this release's encoder (which
	// leaves its own output unchanged).
	Catalogue []byte
	// Now is the demo catalogue's generation time; zero means the newest
	// post's date, so the same content gives the same file.
	Now time.Time
	// BrotliLevel is the brotli quality of the precompressed copies; 0
	// means the best, 11. Level 11 takes about 20 s for the wasm and saves
	// about 14% over level 9 (893 KB against 1014 KB), so tests that build
	// often pass a lower one.
	BrotliLevel int
	// Log, if set, is told each step as it starts.
	Log func(step string)
}

// File is one built file and its sizes.
type File struct {
	Name   string // relative to outDir/hearth
	Raw    int
	Gzip   int
	Brotli int
}

// Report lists what Build wrote.
type Report struct {
	Dir   string // outDir/hearth
	Files []File
	// Kept is the id of the catalogue Build found in Dir and kept, not
	// being the demo's; "" when Build wrote the catalogue.
	Kept string
}

// Build builds every asset into outDir/hearth, creating it as needed.
func Build(outDir string, opts Options) (*Report, error) {
	if opts.Go == "" {
		opts.Go = "go"
	}
	if opts.Log == nil {
		opts.Log = func(string) {}
	}
	if opts.Root == "" {
		root, err := moduleRoot(opts.Go)
		if err != nil {
			return nil, err
		}
		opts.Root = root
	}
	dir := filepath.Join(outDir, serve.Dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBuild, err)
	}
	// Every file is built in memory first and written with its siblings
	// at the end, so a failed step leaves the previous build whole.
	built := map[string][]byte{}
	report := &Report{Dir: dir}
	var catalogue File
	steps := []struct {
		name string
		run  func() error
	}{
		{"wasm", func() (err error) { built[serve.Wasm], err = buildWasm(opts); return err }},
		{"wasm_exec.js", func() (err error) { built[serve.WasmExec], err = wasmExec(opts); return err }},
		{"js", func() error { return buildJS(opts.Root, built) }},
		{"precompress", func() error {
			for _, name := range []string{serve.Loader, serve.Worker, serve.WasmExec, serve.Wasm} {
				sibs, err := precompress.Write(dir, name, built[name], opts.BrotliLevel)
				if err != nil {
					return err
				}
				report.Files = append(report.Files, file(name, len(built[name]), sibs))
			}
			return nil
		}},
		{"catalogue", func() (err error) { catalogue, report.Kept, err = writeCatalogue(dir, opts); return err }},
	}
	for _, s := range steps {
		opts.Log(s.name)
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBuild, s.name, err)
		}
	}
	report.Files = append(report.Files, catalogue)
	return report, nil
}

// DemoID is the id of the demo catalogue. Build replaces a catalogue in its
// output folder only if it has this id.
const DemoID = "goblog"

// writeCatalogue writes dir/catalogue.msgpack, its siblings and manifest:
// opts.Catalogue if set, otherwise the demo's, unless a catalogue other than
// the demo's is there. That one is kept and its id returned.
func writeCatalogue(dir string, opts Options) (File, string, error) {
	path := filepath.Join(dir, serve.Catalogue)
	var c *catalog.Catalogue
	if opts.Catalogue != nil {
		var err error
		if c, err = catalog.Decode(opts.Catalogue); err != nil {
			return File{}, "", err
		}
	} else {
		if f, kept, err := keptSegments(dir); err != nil || kept != "" {
			return f, kept, err
		}
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			old, err := catalog.Decode(b)
			if err != nil {
				return File{}, "", fmt.Errorf("%s is not a catalogue this release reads (%v): delete it to build the demo's", path, err)
			}
			if old.ID != DemoID {
				sibs, err := precompress.Refresh(dir, serve.Catalogue, opts.BrotliLevel)
				if err != nil {
					return File{}, "", err
				}
				return file(serve.Catalogue, len(b), sibs), old.ID, nil
			}
		case !errors.Is(err, fs.ErrNotExist):
			return File{}, "", err
		}
		if c, err = demoCatalogue(opts.Now); err != nil {
			return File{}, "", err
		}
	}
	m, err := pack.WriteWith(c, path, pack.WriteOptions{BrotliLevel: opts.BrotliLevel})
	if err != nil {
		return File{}, "", err
	}
	return file(serve.Catalogue, m.Bytes, m.Siblings), "", nil
}

// keptSegments returns the manifest of a publisher's catalogue written in
// segments in dir (hearth-catalog -segments: its manifest names a
// content-hashed base, not catalogue.msgpack) and the catalogue's id, which
// writeCatalogue keeps as it keeps a publisher's single file: writing the
// demo's would replace that manifest. The id is "" when there is no such
// manifest, or its catalogue is the demo's.
func keptSegments(dir string) (File, string, error) {
	path := filepath.Join(dir, pack.ManifestName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return File{}, "", nil
	} else if err != nil {
		return File{}, "", err
	}
	var m pack.Manifest
	if json.Unmarshal(b, &m) != nil || m.Name == serve.Catalogue {
		// catalogue.msgpack's own manifest, which writeCatalogue rules on.
		return File{}, "", nil
	}
	c, _, err := pack.ReadManifest(path)
	if err != nil {
		return File{}, "", fmt.Errorf("%s lists a catalogue this release does not read (%v): delete it to build the demo's", path, err)
	}
	if c.ID == DemoID {
		return File{}, "", nil
	}
	return File{Name: pack.ManifestName, Raw: len(b)}, c.ID, nil
}

// file reports a written file and its siblings' sizes.
func file(name string, raw int, sibs []precompress.Sibling) File {
	f := File{Name: name, Raw: raw}
	for _, s := range sibs {
		switch s.Encoding {
		case "br":
			f.Brotli = s.Bytes
		case "gzip":
			f.Gzip = s.Bytes
		}
	}
	return f
}

func moduleRoot(goCmd string) (string, error) {
	out, err := exec.Command(goCmd, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("%w: go env GOMOD: %v", ErrBuild, err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("%w: not inside a Go module", ErrBuild)
	}
	return filepath.Dir(mod), nil
}

func buildWasm(opts Options) ([]byte, error) {
	tmp, err := os.MkdirTemp("", "hearth-wasm-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, serve.Wasm)
	// -trimpath keeps build paths out of the file every reader downloads;
	// -s -w drop the symbol table and DWARF (about a third of the raw size).
	cmd := exec.Command(opts.Go, "build", "-trimpath", "-ldflags=-s -w", "-tags="+WasmTags, "-o", out, "./wasm")
	cmd.Dir = opts.Root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="+WasmExperiment)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build: %v\n%s", err, b)
	}
	return os.ReadFile(out)
}

func wasmExec(opts Options) ([]byte, error) {
	goroot, err := exec.Command(opts.Go, "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("go env GOROOT: %v", err)
	}
	// wasm_exec.js must come from the toolchain that built hearth.wasm:
	// the two change together between Go releases.
	return os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", serve.WasmExec))
}

func buildJS(root string, built map[string][]byte) error {
	for _, entry := range []struct {
		src    string
		out    string
		format api.Format
	}{
		{"js/hearth.js", serve.Loader, api.FormatESModule},
		// The Worker is a classic script so that it can importScripts the
		// toolchain's wasm_exec.js, which is not a module.
		{"js/hearth-worker.js", serve.Worker, api.FormatIIFE},
	} {
		res := api.Build(api.BuildOptions{
			EntryPoints:       []string{filepath.Join(root, entry.src)},
			AbsWorkingDir:     root,
			Bundle:            true,
			Format:            entry.format,
			Platform:          api.PlatformBrowser,
			Target:            api.ES2020,
			MinifyWhitespace:  true,
			MinifyIdentifiers: true,
			MinifySyntax:      true,
			LegalComments:     api.LegalCommentsNone,
			Outfile:           entry.out,
			Write:             false,
		})
		if len(res.Errors) > 0 {
			msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
			return fmt.Errorf("esbuild %s:\n%s", entry.src, strings.Join(msgs, ""))
		}
		if len(res.OutputFiles) != 1 {
			return fmt.Errorf("esbuild %s: %d output files, want 1", entry.src, len(res.OutputFiles))
		}
		built[entry.out] = res.OutputFiles[0].Contents
	}
	return nil
}
