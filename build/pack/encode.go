package pack

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/hearth-dev/hearth/build/assets/precompress"
	"github.com/hearth-dev/hearth/core/catalog"
)

// Manifest describes a written catalogue so a site can point at the current
// file while every file is cached forever under its content-hashed name.
type Manifest struct {
	// Name is the file name, catalogue.<id>.msgpack unless a fixed name
	// was asked for.
	Name string `json:"name"`
	// Hash names the content: the catalogue's content id (see [Encode]),
	// or for a catalogue with an id of its own the first 16 hex digits of
	// the file's SHA-256.
	Hash string `json:"hash"`
	// SHA256 is the hex SHA-256 of the file's bytes, for integrity checks.
	SHA256    string `json:"sha256"`
	Items     int    `json:"items"`
	Bytes     int    `json:"bytes"`
	Generated string `json:"generated"` // RFC 3339, UTC
	// Siblings are the precompressed copies written beside the file.
	Siblings []precompress.Sibling `json:"siblings,omitempty"`
	// Segments are the files a browser appends to the catalogue Name, in
	// order, when it is written in segments (segment.go).
	Segments []Part `json:"segments,omitempty"`
}

// Encode returns the catalogue's msgpack encoding and manifest. A
// catalogue without an id gets its content hash as id: the first 16 hex
// digits of the SHA-256 of its encoding with an empty id, so equal content
// always gets the same id and file name. A catalogue with an id of its own
// keeps it, and its file is named by the hash of its bytes; either way the
// name changes whenever the bytes do. It refuses a catalogue that readers'
// engines would refuse (EngineAccepts).
func Encode(c *catalog.Catalogue) ([]byte, Manifest, error) {
	own := c.ID
	c.ID = ""
	b, err := c.Encode()
	if err != nil {
		c.ID = own
		return nil, Manifest{}, err
	}
	sum := sha256.Sum256(b)
	content := hex.EncodeToString(sum[:8])
	c.ID = own
	if c.ID == "" {
		c.ID = content
	}
	if b, err = c.Encode(); err != nil {
		return nil, Manifest{}, err
	}
	file := sha256.Sum256(b)
	if err := EngineAccepts(b); err != nil {
		return nil, Manifest{}, err
	}
	hash := content
	if c.ID != content {
		hash = hex.EncodeToString(file[:8])
	}
	return b, Manifest{
		Name:      "catalogue." + hash + ".msgpack",
		Hash:      hash,
		SHA256:    hex.EncodeToString(file[:]),
		Items:     len(c.Items),
		Bytes:     len(b),
		Generated: time.Unix(c.Generated, 0).UTC().Format(time.RFC3339),
	}, nil
}

// Write is [WriteWith] with the default options.
func Write(c *catalog.Catalogue, out string) (Manifest, error) {
	return WriteWith(c, out, WriteOptions{})
}

// Read decodes a catalogue file, for example the previous version of an
// incremental build. A catalogue in format 1, which the engine no longer
// reads, is upgraded to this release's format (legacy.go).
func Read(path string) (*catalog.Catalogue, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// ErrRefused marks a catalogue that readers' engines would refuse.
var ErrRefused = errors.New("readers' engines would refuse this catalogue")

// EngineAccepts decodes b, a catalogue or a base and its segments joined,
// as every reader's engine decodes it (catalog.DecodeChain with the
// engine's own limits), so that a publisher learns at build time what each
// browser would otherwise refuse, with nothing written: for example an
// item whose URL is over the limit on strings, or more items than the
// engine's memory allows. The error wraps ErrRefused and the decoder's,
// which names the item and the limit.
func EngineAccepts(b []byte) error {
	if _, err := catalog.DecodeChain(b, catalog.Limits{}, false); err != nil {
		return fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return nil
}
