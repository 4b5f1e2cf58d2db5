package serve

// Precompressed siblings are only as good as the moment they were written:
// a file replaced on its own (a new catalogue copied over the demo's) leaves
// its old file.br and file.gz behind, and every browser, which accepts br,
// would get the old content. Hearth's builders therefore record, in each
// folder they write siblings to, which bytes every sibling was compressed
// from; the handler sends a listed sibling only while both files are still
// those bytes, and the original otherwise.

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// SiblingIndex is the name of the index of precompressed siblings, one per
// folder: a hidden file, so the handler never serves it.
//
// Each line is "sibling<TAB>sha256<TAB>original-sha256": a sibling's base
// name (catalogue.msgpack.br), the hex SHA-256 of its bytes and the hex
// SHA-256 of the original it was compressed from. "-" in place of the
// sibling's hash records a sibling that could not be replaced: it is never
// sent. Builders write the index after the files it describes, by rename.
const SiblingIndex = ".hearth-siblings"

// ErrStaleSibling is reported through [Options.Warn] when a precompressed
// sibling was not compressed from its original's current bytes, and is
// therefore not sent.
var ErrStaleSibling = errors.New("stale precompressed sibling")

// ErrSiblingIndex means a sibling index is malformed.
var ErrSiblingIndex = errors.New("malformed sibling index")

// Sibling is one entry of a sibling index: the hex SHA-256 of a
// precompressed sibling's bytes and of the original it was compressed from.
// An empty SHA256 marks a sibling that must not be sent.
type Sibling struct {
	SHA256   string
	Original string
}

// siblingCheck is the handler's view of the sibling indexes of its fs.
type siblingCheck struct {
	warn func(error)
	// indexes caches each folder's parsed index, keyed by folder and
	// checked against the index file's size and modification time.
	indexes sync.Map // folder → loadedIndex
	// warned holds the problems already reported, so a stale sibling is
	// reported once, not on every request.
	warned sync.Map
}

type loadedIndex struct {
	size, mod int64
	entries   map[string]Sibling
	err       error
}

// siblingOK reports whether the precompressed sibling of name may be sent.
// A sibling the folder's index does not list (or a folder without an index,
// as a host that precompresses by itself writes it) is sent as before; a
// listed one only while it and its original hash to what the index
// recorded. A corrupt index trusts no sibling of its folder.
func (h *handler) siblingOK(name string, info fs.FileInfo, sibling string, sinfo fs.FileInfo) bool {
	dir := path.Dir(sibling)
	entries, err := h.siblings.index(h.fsys, dir)
	if err != nil {
		h.siblings.report(err.Error(), err)
		return false
	}
	rec, listed := entries[path.Base(sibling)]
	if !listed {
		return true
	}
	otag, err := h.etag(name, info)
	if err != nil {
		return false
	}
	stag, err := h.etag(sibling, sinfo)
	if err != nil {
		return false
	}
	if stag == tagOf(rec.SHA256) && otag == tagOf(rec.Original) {
		return true
	}
	h.siblings.report(sibling+"\x00"+stag+"\x00"+otag, fmt.Errorf(
		"serve: %s: %w: not compressed from the current %s, which is sent uncompressed until its siblings are rebuilt",
		sibling, ErrStaleSibling, path.Base(name)))
	return false
}

// index returns the parsed sibling index of dir, nil when there is none.
func (c *siblingCheck) index(fsys fs.FS, dir string) (map[string]Sibling, error) {
	name := path.Join(dir, SiblingIndex)
	info, err := fs.Stat(fsys, name)
	if err != nil || !info.Mode().IsRegular() {
		return nil, nil
	}
	size, mod := info.Size(), info.ModTime().UnixNano()
	if v, ok := c.indexes.Load(dir); ok {
		if l := v.(loadedIndex); l.size == size && l.mod == mod {
			return l.entries, l.err
		}
	}
	l := loadedIndex{size: size, mod: mod}
	b, err := fs.ReadFile(fsys, name)
	if err == nil {
		l.entries, err = UnmarshalSiblings(b)
	}
	if err != nil {
		l.err = fmt.Errorf("serve: %s: %w: sending no precompressed file of %s", name, err, dir)
	}
	c.indexes.Store(dir, l)
	return l.entries, l.err
}

// report passes err to the warning hook the first time key is seen.
func (c *siblingCheck) report(key string, err error) {
	if c.warn == nil {
		return
	}
	if _, seen := c.warned.LoadOrStore(key, struct{}{}); !seen {
		c.warn(err)
	}
}

// tagOf returns the entity tag of the bytes whose hex SHA-256 is sum, as
// hashFile computes it; "" (never a tag) for anything else.
func tagOf(sum string) string {
	b, err := hex.DecodeString(sum)
	if err != nil || len(b) != 32 {
		return ""
	}
	return `"` + base64.RawURLEncoding.EncodeToString(b[:16]) + `"`
}

// MarshalSiblings encodes a sibling index (base name → entry) in the
// format of [SiblingIndex], sorted by name.
func MarshalSiblings(idx map[string]Sibling) ([]byte, error) {
	names := make([]string, 0, len(idx))
	for name, s := range idx {
		if name == "" || strings.ContainsAny(name, "\t\n/") || !isSHA256(s.Original) || (s.SHA256 != "" && !isSHA256(s.SHA256)) {
			return nil, fmt.Errorf("marshal siblings: %q: %w", name, ErrSiblingIndex)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, name := range names {
		s := idx[name]
		sib := s.SHA256
		if sib == "" {
			sib = "-"
		}
		b.WriteString(name + "\t" + sib + "\t" + s.Original + "\n")
	}
	return []byte(b.String()), nil
}

// UnmarshalSiblings decodes the output of [MarshalSiblings].
func UnmarshalSiblings(b []byte) (map[string]Sibling, error) {
	idx := map[string]Sibling{}
	n := 0
	for line := range strings.Lines(string(b)) {
		n++
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 3 || f[0] == "" || strings.Contains(f[0], "/") || !isSHA256(f[2]) || (f[1] != "-" && !isSHA256(f[1])) {
			return nil, fmt.Errorf("unmarshal siblings: line %d: %w", n, ErrSiblingIndex)
		}
		s := Sibling{SHA256: f[1], Original: f[2]}
		if s.SHA256 == "-" {
			s.SHA256 = ""
		}
		idx[f[0]] = s
	}
	return idx, nil
}

func isSHA256(s string) bool { return len(s) == 64 && isLowerHex(s) }

// SiblingExt returns the extension of the precompressed sibling the handler
// sends for a content coding ("br" → ".br", "gzip" → ".gz"), and "" for a
// coding it does not send, so builders name siblings as the handler finds
// them.
func SiblingExt(coding string) string {
	for _, e := range encodings {
		if e.token == coding {
			return e.ext
		}
	}
	return ""
}
