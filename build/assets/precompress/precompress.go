// Package precompress writes a served file together with its brotli and
// gzip siblings (file.br, file.gz), the copies a server sends to browsers
// that accept them, and records in the folder's sibling index
// ([serve.SiblingIndex]) which bytes each sibling was compressed from. The
// asset pipeline (build/assets) and the catalogue builder (build/pack) both
// write through it, so no file they replace keeps an old sibling.
//
// # Writing
//
// [Write] stages every file as a hidden temporary file in the destination
// folder, then renames: the original, its siblings, and the index last.
// A rename is atomic, so a server sees each file whole, either old or new;
// in the moment between two renames the index still describes the old
// files, and web/serve sends the original rather than a sibling that does
// not match it. A sibling that cannot be written is removed, never left
// behind describing other bytes.
//
// Two builds writing into the same folder at the same moment may lose one
// another's index lines: a sibling without a line is then sent unchecked,
// as it was before indexes existed.
//
// # Example
//
//	siblings, err := precompress.Write("dist/hearth", "hearth.wasm", b, 0)
//	if err != nil {
//		return err
//	}
//	for _, s := range siblings {
//		fmt.Println(s.Name, s.Bytes)
//	}
package precompress

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/andybalholm/brotli"

	"github.com/hearth-dev/hearth/web/serve"
)

// Sibling describes one precompressed copy as written.
type Sibling struct {
	Name     string `json:"name"`     // base name, catalogue.msgpack.br
	Encoding string `json:"encoding"` // its Content-Encoding: br or gzip
	SHA256   string `json:"sha256"`   // hex SHA-256 of its bytes
	Bytes    int    `json:"bytes"`
}

// codings are the siblings written, in web/serve's order of preference.
var codings = [...]string{"br", "gzip"}

// SHA256 returns the hex SHA-256 of b, the form sibling indexes and
// manifests record.
func SHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Compress returns the encoding of b for a content coding (br or gzip).
// Brotli uses quality level (0 or out of range means the best, 11); gzip
// always its best level. The copies are built once and downloaded by every
// reader, so the best levels are the default.
func Compress(b []byte, coding string, level int) ([]byte, error) {
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch coding {
	case "br":
		if level <= 0 || level > brotli.BestCompression {
			level = brotli.BestCompression
		}
		w = brotli.NewWriterLevel(&buf, level)
	case "gzip":
		gw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		w = gw
	default:
		return nil, fmt.Errorf("compress: unknown coding %q", coding)
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write replaces dir/name with b, writes its .br and .gz siblings beside it
// and records them in dir's sibling index, in that order, each by rename.
// level is the brotli quality (0 means the best). It returns the siblings
// written. If the original cannot be written nothing is changed; if a
// sibling cannot be, its old file is removed and the error says which.
func Write(dir, name string, b []byte, level int) ([]Sibling, error) {
	return write(dir, name, b, level, true)
}

// Refresh writes the siblings of the file dir/name as it is now, unless the
// sibling index shows that both were compressed from its current bytes.
// The asset pipeline refreshes a catalogue it keeps (one it did not write),
// which may have been copied into place without its siblings.
func Refresh(dir, name string, level int) ([]Sibling, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("precompress: %w", err)
	}
	sum := SHA256(b)
	idx, err := readIndex(dir)
	if err == nil {
		var current []Sibling
		for _, coding := range codings {
			sib := name + serve.SiblingExt(coding)
			rec, listed := idx[sib]
			data, err := os.ReadFile(filepath.Join(dir, sib))
			if !listed || err != nil || rec.Original != sum || rec.SHA256 != SHA256(data) {
				break
			}
			current = append(current, Sibling{Name: sib, Encoding: coding, SHA256: rec.SHA256, Bytes: len(data)})
		}
		if len(current) == len(codings) {
			return current, nil
		}
	}
	return write(dir, name, b, level, false)
}

// Remove deletes dir/name and its siblings, and their lines from dir's
// sibling index. A file already gone is no error.
func Remove(dir, name string) error {
	if name == "" || name != filepath.Base(name) {
		return fmt.Errorf("precompress: %q is not a file name", name)
	}
	var errs []error
	changes := map[string]*serve.Sibling{}
	for _, coding := range codings {
		sib := name + serve.SiblingExt(coding)
		if err := os.Remove(filepath.Join(dir, sib)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("precompress: remove %s: %w", sib, err))
			continue
		}
		changes[sib] = nil
	}
	// The original last, so that no sibling outlives it.
	if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, fmt.Errorf("precompress: remove %s: %w", name, err))
	}
	if err := updateIndex(dir, changes); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// staged is a file written to a temporary name, waiting for its rename.
type staged struct {
	sib Sibling
	tmp string
	err error
}

func write(dir, name string, b []byte, level int, original bool) ([]Sibling, error) {
	if name == "" || name != filepath.Base(name) {
		return nil, fmt.Errorf("precompress: %q is not a file name", name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("precompress: %w", err)
	}
	sum := SHA256(b)
	var orig string
	if original {
		var err error
		if orig, err = stage(dir, b); err != nil {
			return nil, fmt.Errorf("precompress: write %s: %w", name, err)
		}
	}
	var sibs []staged
	for _, coding := range codings {
		s := staged{sib: Sibling{Name: name + serve.SiblingExt(coding), Encoding: coding}}
		var data []byte
		if data, s.err = Compress(b, coding, level); s.err == nil {
			s.sib.SHA256, s.sib.Bytes = SHA256(data), len(data)
			s.tmp, s.err = stage(dir, data)
		}
		sibs = append(sibs, s)
	}

	if original {
		if err := os.Rename(orig, filepath.Join(dir, name)); err != nil {
			os.Remove(orig)
			for _, s := range sibs {
				if s.tmp != "" {
					os.Remove(s.tmp)
				}
			}
			return nil, fmt.Errorf("precompress: write %s: %w", name, err)
		}
	}
	var (
		written []Sibling
		errs    []error
	)
	changes := map[string]*serve.Sibling{}
	for _, s := range sibs {
		path := filepath.Join(dir, s.sib.Name)
		if s.err == nil {
			s.err = os.Rename(s.tmp, path)
		}
		if s.err == nil {
			written = append(written, s.sib)
			changes[s.sib.Name] = &serve.Sibling{SHA256: s.sib.SHA256, Original: sum}
			continue
		}
		if s.tmp != "" {
			os.Remove(s.tmp)
		}
		errs = append(errs, fmt.Errorf("precompress: write %s: %w", s.sib.Name, s.err))
		// An old sibling left in place would describe other bytes.
		if err := os.Remove(path); err == nil || errors.Is(err, fs.ErrNotExist) {
			changes[s.sib.Name] = nil
		} else {
			// It stays, so the index says it must not be sent.
			changes[s.sib.Name] = &serve.Sibling{Original: sum}
			errs = append(errs, fmt.Errorf("precompress: remove stale %s: %w", s.sib.Name, err))
		}
	}
	if err := updateIndex(dir, changes); err != nil {
		errs = append(errs, err)
	}
	return written, errors.Join(errs...)
}

// stage writes b to a new hidden temporary file in dir and returns its
// path. Hidden, so that no server sends a half-written file.
func stage(dir string, b []byte) (string, error) {
	f, err := os.CreateTemp(dir, ".hearth-*")
	if err != nil {
		return "", err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// writeFile replaces path with b atomically: a temporary file in the same
// folder, renamed over it.
func writeFile(path string, b []byte) error {
	tmp, err := stage(filepath.Dir(path), b)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// readIndex reads dir's sibling index; an absent one is empty.
func readIndex(dir string) (map[string]serve.Sibling, error) {
	b, err := os.ReadFile(filepath.Join(dir, serve.SiblingIndex))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]serve.Sibling{}, nil
	}
	if err != nil {
		return nil, err
	}
	return serve.UnmarshalSiblings(b)
}

// updateIndex applies changes (nil removes a line) to dir's sibling index
// and drops lines whose sibling no longer exists. A malformed index is
// replaced: web/serve trusts no sibling of its folder anyway.
func updateIndex(dir string, changes map[string]*serve.Sibling) error {
	idx, err := readIndex(dir)
	if err != nil && !errors.Is(err, serve.ErrSiblingIndex) {
		return fmt.Errorf("precompress: read %s: %w", serve.SiblingIndex, err)
	}
	if idx == nil {
		idx = map[string]serve.Sibling{}
	}
	for name, s := range changes {
		if s == nil {
			delete(idx, name)
		} else {
			idx[name] = *s
		}
	}
	for name := range idx {
		if _, err := os.Stat(filepath.Join(dir, name)); errors.Is(err, fs.ErrNotExist) {
			delete(idx, name)
		}
	}
	path := filepath.Join(dir, serve.SiblingIndex)
	if len(idx) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("precompress: %w", err)
		}
		return nil
	}
	b, err := serve.MarshalSiblings(idx)
	if err != nil {
		return fmt.Errorf("precompress: %w", err)
	}
	if err := writeFile(path, b); err != nil {
		return fmt.Errorf("precompress: write %s: %w", serve.SiblingIndex, err)
	}
	return nil
}
