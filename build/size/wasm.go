package size

import (
	"bytes"
	"errors"
	"slices"
	"strings"
)

// ErrWasm means bytes are not a WebAssembly module this package can read.
var ErrWasm = errors.New("size: not a readable wasm module")

// Package is the code of one Go package in a wasm binary.
type Package struct {
	Name  string // as the name section spells it: "fmt", "internal_strconv", ...
	Bytes int    // function bodies, uncompressed
	Funcs int
}

// Packages returns the bytes of function code per Go package in a wasm
// binary built without -ldflags=-s (which strips the names), largest first.
// go tool nm cannot read wasm files and -ldflags=-dumpdep says why a symbol
// is linked but not what it weighs; this says what. Data (type descriptors,
// strings, the function table) is not attributed: in a Go wasm binary it is
// about a third of the raw size.
func Packages(wasm []byte) ([]Package, error) {
	if len(wasm) < 8 || !bytes.Equal(wasm[:4], []byte("\x00asm")) {
		return nil, ErrWasm
	}
	r := &leb{b: wasm, off: 8}
	var imported int
	var bodies []int
	names := map[int]string{}
	for r.off < len(r.b) && r.err == nil {
		id := r.byte()
		size := r.uint()
		end := r.off + size
		if r.err != nil || end > len(r.b) || end < r.off {
			return nil, ErrWasm
		}
		sec := &leb{b: r.b[:end], off: r.off}
		switch id {
		case 2: // imports: count the imported functions, which come first in the index space
			for n := sec.uint(); n > 0 && sec.err == nil; n-- {
				sec.skip(sec.uint()) // module
				sec.skip(sec.uint()) // name
				switch sec.byte() {
				case 0: // function: type index
					sec.uint()
					imported++
				case 1: // table: element type, limits
					sec.byte()
					sec.limits()
				case 2: // memory: limits
					sec.limits()
				case 3: // global: type, mutability
					sec.skip(2)
				}
			}
		case 10: // code
			for n := sec.uint(); n > 0 && sec.err == nil; n-- {
				size := sec.uint()
				bodies = append(bodies, size)
				sec.skip(size)
			}
		case 0: // custom: the "name" section's function names
			if string(sec.bytes(sec.uint())) != "name" {
				break
			}
			for sec.off < len(sec.b) && sec.err == nil {
				kind := sec.byte()
				size := sec.uint()
				sub := &leb{b: sec.b[:min(sec.off+size, len(sec.b))], off: sec.off}
				sec.off = len(sub.b)
				if kind != 1 {
					continue
				}
				for n := sub.uint(); n > 0 && sub.err == nil; n-- {
					idx := sub.uint()
					names[idx] = string(sub.bytes(sub.uint()))
				}
				if sub.err != nil {
					return nil, ErrWasm
				}
			}
		}
		if sec.err != nil {
			return nil, ErrWasm
		}
		r.off = end
	}
	if r.err != nil || len(names) == 0 {
		return nil, ErrWasm
	}
	byName := map[string]*Package{}
	for i, size := range bodies {
		pkg := packageOf(names[imported+i])
		p := byName[pkg]
		if p == nil {
			p = &Package{Name: pkg}
			byName[pkg] = p
		}
		p.Bytes += size
		p.Funcs++
	}
	var out []Package
	for _, p := range byName {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Package) int {
		if a.Bytes != b.Bytes {
			return b.Bytes - a.Bytes
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}

// hostSuffixes end the host names of module paths, which hold a "." before
// the package name does.
var hostSuffixes = []string{".com", ".org", ".net", ".io", ".dev", ".in"}

// packageOf returns the package part of a function name. The Go linker
// writes import paths with "_" for "/" (github.com_x_y_pkg.Func), so the
// package ends at the first "." after the host name, if there is one.
func packageOf(name string) string {
	from := 0
	if host, _, ok := strings.Cut(name, "_"); ok && slices.ContainsFunc(hostSuffixes, func(s string) bool {
		return strings.HasSuffix(host, s)
	}) {
		from = len(host) + 1
	}
	if i := strings.IndexByte(name[from:], '.'); i >= 0 {
		return name[:from+i]
	}
	if name == "" {
		return "?"
	}
	return name
}

// leb reads the LEB128 integers and byte strings of a wasm module.
type leb struct {
	b   []byte
	off int
	err error
}

func (r *leb) byte() byte {
	if r.off >= len(r.b) {
		r.err = ErrWasm
		return 0
	}
	r.off++
	return r.b[r.off-1]
}

func (r *leb) uint() int {
	var v uint64
	for shift := 0; shift < 35; shift += 7 {
		c := r.byte()
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return int(v)
		}
	}
	r.err = ErrWasm
	return 0
}

func (r *leb) skip(n int) { r.bytes(n) }

func (r *leb) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b)-r.off {
		r.err = ErrWasm
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off]
}

func (r *leb) limits() {
	if r.byte()&1 == 1 {
		r.uint()
	}
	r.uint()
}
