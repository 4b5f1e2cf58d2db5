package pack

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/web/serve"
)

// Inspection describes a catalogue file and the precompressed siblings
// beside it, as a publisher checks what a server will send.
type Inspection struct {
	Path      string
	Catalogue *catalog.Catalogue
	Bytes     int
	SHA256    string
	// Siblings are the .br and .gz files found beside the catalogue.
	Siblings []SiblingState
}

// SiblingState is a precompressed sibling found beside a catalogue.
type SiblingState struct {
	precompress.Sibling
	// Matches reports that it decodes to the catalogue's bytes.
	Matches bool `json:"matches"`
	// Sent reports that web/serve sends it to a client that accepts its
	// encoding; it does not when its folder's sibling index shows it was
	// compressed from other bytes.
	Sent bool `json:"sent"`
}

// Inspect reads the catalogue at path and checks its siblings: what each
// decodes to, and whether Hearth's handler would send it.
func Inspect(path string) (*Inspection, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Read, not catalog.Decode: it also reads older formats.
	c, err := Read(path)
	if err != nil {
		return nil, err
	}
	in := &Inspection{Path: path, Catalogue: c, Bytes: len(b), SHA256: precompress.SHA256(b)}
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	// Ask the handler itself rather than restate its rules.
	h := serve.New(os.DirFS(dir), serve.Options{})
	for _, coding := range []string{"br", "gzip"} {
		sib := name + serve.SiblingExt(coding)
		data, err := os.ReadFile(filepath.Join(dir, sib))
		if err != nil {
			continue
		}
		st := SiblingState{Sibling: precompress.Sibling{Name: sib, Encoding: coding, SHA256: precompress.SHA256(data), Bytes: len(data)}}
		if raw, err := decodeSibling(coding, data); err == nil {
			st.Matches = bytes.Equal(raw, b)
		}
		r := httptest.NewRequest(http.MethodHead, "/"+name, nil)
		r.Header.Set("Accept-Encoding", coding)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		st.Sent = w.Header().Get("Content-Encoding") == coding
		in.Siblings = append(in.Siblings, st)
	}
	return in, nil
}

func decodeSibling(coding string, b []byte) ([]byte, error) {
	var r io.Reader
	switch coding {
	case "br":
		r = brotli.NewReader(bytes.NewReader(b))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		r = zr
	default:
		return nil, fmt.Errorf("unknown coding %q", coding)
	}
	return io.ReadAll(r)
}

// PolicyFileOf returns p in the form of a policy file, so that a
// catalogue's policy can be read, edited and passed back with -policy.
// Pinned and excluded items are catalogue ids, which a policy file accepts.
func PolicyFileOf(p catalog.Policy) PolicyFile {
	f := PolicyFile{
		FreshnessHalfLifeDays: p.FreshnessHalfLifeDays,
		InterestHalfLifeDays:  p.InterestHalfLifeDays,
		Diversity:             p.Diversity,
		Exploration:           p.Exploration,
		Weights:               fileWeights(p.Weights),
		Pinned:                p.Pinned,
		Excluded:              p.Excluded,
		Sensitive:             p.Sensitive,
		RetentionDays:         p.RetentionDays,
		MaxEvents:             p.MaxEvents,
		Consent:               p.Consent,
		Hosts:                 p.Hosts,
	}
	// Empty lists rather than null, as a publisher would write them.
	for _, l := range []*[]string{&f.Pinned, &f.Excluded, &f.Sensitive, &f.Hosts} {
		if *l == nil {
			*l = []string{}
		}
	}
	if len(p.SectionCaps) > 0 {
		f.SectionCaps = map[string]int{}
		for _, c := range p.SectionCaps {
			f.SectionCaps[c.Section] = c.Max
		}
	}
	return f
}

// Hosts counts item URLs by scheme and host ("" for site-relative paths),
// the first thing to check when pages do not find their items.
func Hosts(items []catalog.Item) map[string]int {
	n := map[string]int{}
	for _, it := range items {
		key := ""
		if scheme, rest, ok := strings.Cut(it.URL, "://"); ok {
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				rest = rest[:i]
			}
			key = strings.ToLower(scheme + "://" + rest)
		}
		n[key]++
	}
	return n
}
