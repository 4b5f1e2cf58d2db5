// Package assets builds everything a publisher serves for Hearth into one
// folder: the engine (hearth.wasm, built for GOOS=js GOARCH=wasm), the
// toolchain's wasm_exec.js, the loader and Worker scripts (bundled and
// minified with esbuild), the demo catalogue, and a brotli and a gzip
// sibling of each file for servers that send precompressed bytes.
//
// # Layout
//
// Build writes into outDir/hearth/, the folder a site serves at /hearth/:
//
//	hearth.js          the loader, an ES module
//	hearth-worker.js   the Worker, a classic script (it importScripts wasm_exec.js)
//	wasm_exec.js       copied from the Go toolchain that built hearth.wasm
//	hearth.wasm        the engine
//	catalogue.msgpack  the demo publisher's catalogue
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
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/hearth-dev/hearth/web/serve"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/evanw/esbuild/pkg/api"
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
	// Catalogue, if set, is shipped instead of the demo catalogue.
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
	steps := []struct {
		name string
		run  func() error
	}{
		{"wasm", func() error { return buildWasm(opts, filepath.Join(dir, serve.Wasm)) }},
		{"wasm_exec.js", func() error { return copyWasmExec(opts, filepath.Join(dir, serve.WasmExec)) }},
		{"js", func() error { return buildJS(opts.Root, dir) }},
		{"catalogue", func() error {
			cat := opts.Catalogue
			if cat == nil {
				var err error
				if cat, err = DemoCatalogue(opts.Now); err != nil {
					return err
				}
			}
			return os.WriteFile(filepath.Join(dir, serve.Catalogue), cat, 0o644)
		}},
	}
	for _, s := range steps {
		opts.Log(s.name)
		if err := s.run(); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrBuild, s.name, err)
		}
	}
	opts.Log("precompress")
	report := &Report{Dir: dir}
	for _, name := range []string{serve.Loader, serve.Worker, serve.WasmExec, serve.Wasm, serve.Catalogue} {
		f, err := precompress(dir, name, opts.BrotliLevel)
		if err != nil {
			return nil, fmt.Errorf("%w: precompress %s: %v", ErrBuild, name, err)
		}
		report.Files = append(report.Files, f)
	}
	return report, nil
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

func buildWasm(opts Options, out string) error {
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	// -trimpath keeps build paths out of the file every reader downloads;
	// -s -w drop the symbol table and DWARF (about a third of the raw size).
	cmd := exec.Command(opts.Go, "build", "-trimpath", "-ldflags=-s -w", "-tags="+WasmTags, "-o", abs, "./wasm")
	cmd.Dir = opts.Root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT="+WasmExperiment)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, out)
	}
	return nil
}

func copyWasmExec(opts Options, out string) error {
	goroot, err := exec.Command(opts.Go, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %v", err)
	}
	// wasm_exec.js must come from the toolchain that built hearth.wasm:
	// the two change together between Go releases.
	b, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", serve.WasmExec))
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

func buildJS(root, dir string) error {
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
			Outfile:           filepath.Join(dir, entry.out),
			Write:             false,
		})
		if len(res.Errors) > 0 {
			msgs := api.FormatMessages(res.Errors, api.FormatMessagesOptions{Kind: api.ErrorMessage})
			return fmt.Errorf("esbuild %s:\n%s", entry.src, strings.Join(msgs, ""))
		}
		for _, f := range res.OutputFiles {
			if err := os.WriteFile(f.Path, f.Contents, 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// precompress writes name.br and name.gz beside name, by default at the best
// compression levels: they are built once and downloaded by every reader.
func precompress(dir, name string, level int) (File, error) {
	if level <= 0 || level > brotli.BestCompression {
		level = brotli.BestCompression
	}
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return File{}, err
	}
	var br, gz bytes.Buffer
	bw := brotli.NewWriterLevel(&br, level)
	if _, err := bw.Write(raw); err != nil {
		return File{}, err
	}
	if err := bw.Close(); err != nil {
		return File{}, err
	}
	gw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return File{}, err
	}
	if _, err := gw.Write(raw); err != nil {
		return File{}, err
	}
	if err := gw.Close(); err != nil {
		return File{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".br"), br.Bytes(), 0o644); err != nil {
		return File{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".gz"), gz.Bytes(), 0o644); err != nil {
		return File{}, err
	}
	return File{Name: name, Raw: len(raw), Gzip: gz.Len(), Brotli: br.Len()}, nil
}
