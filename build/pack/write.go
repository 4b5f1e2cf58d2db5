package pack

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/core/catalog"
)

// WriteOptions configure [WriteWith]. The zero value is valid.
type WriteOptions struct {
	// BrotliLevel is the quality of the .br sibling; 0 means the best, 11.
	// Level 11 is slow on large catalogues: 100,000 synthetic items (15.5
	// MB) built in 113 s at 11 and 33 s at 5, for a sibling 8% smaller
	// (5.90 against 6.45 MB), on a shared 2-core machine.
	BrotliLevel int
}

// WriteWith encodes c and writes everything a server sends for it: the
// catalogue, its .br and .gz siblings, and the manifest (with its own),
// which names them with their SHA-256 and is written last. Every file is
// replaced by rename, so a server never reads half a file, and no old
// sibling survives a new catalogue (see build/assets/precompress).
//
// If out is a directory (an existing one, or a path ending in a separator),
// the catalogue is written there as catalogue.<id>.msgpack and the manifest
// as catalogue.json; otherwise the catalogue is written to out exactly and
// the manifest beside it, with the extension replaced by .json.
func WriteWith(c *catalog.Catalogue, out string, o WriteOptions) (Manifest, error) {
	b, m, err := Encode(c)
	if err != nil {
		return m, err
	}
	var dir, mpath string
	if st, err := os.Stat(out); (err == nil && st.IsDir()) || strings.HasSuffix(out, string(os.PathSeparator)) || strings.HasSuffix(out, "/") {
		dir, mpath = out, filepath.Join(out, "catalogue.json")
	} else {
		dir, m.Name = filepath.Dir(out), filepath.Base(out)
		mpath = strings.TrimSuffix(out, filepath.Ext(out)) + ".json"
		if mpath == out {
			mpath = out + ".json"
		}
	}
	m.Siblings, err = precompress.Write(dir, m.Name, b, o.BrotliLevel)
	if err != nil {
		return m, fmt.Errorf("write catalogue: %w", err)
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, err
	}
	// With siblings, as a segmented catalogue's manifest: browsers fetch
	// it on every visit.
	if _, err := precompress.Write(filepath.Dir(mpath), filepath.Base(mpath), append(mb, '\n'), o.BrotliLevel); err != nil {
		return m, fmt.Errorf("write catalogue manifest: %w", err)
	}
	return m, nil
}
