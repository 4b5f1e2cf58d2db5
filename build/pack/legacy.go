package pack

import (
	"errors"
	"fmt"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/wire"
)

//go:generate go tool msgp -io=false -unexported -file legacy.go -o legacy_gen.go

// Catalogue format 1, one map per item, is read here and nowhere else: an
// incremental build (-previous) upgrades a catalogue written before format
// 2 without losing its items. core/catalog reads format 2 alone and refuses
// format 1 with catalog.ErrVersion, so neither the engine nor any other
// reader of catalogues carries a second decoder.

// documentV1 is a format 1 catalogue: items as an array of maps. Its
// other fields are format 2's, under the same keys.
type documentV1 struct {
	Version   int            `msg:"v"`
	ID        string         `msg:"id"`
	Generated int64          `msg:"gen"`
	Policy    catalog.Policy `msg:"policy"`
	Topics    []string       `msg:"topics"`
	Dim       int            `msg:"dim"`
	Gram      []float32      `msg:"gram"`
	Lambda    float32        `msg:"lambda"`
	Items     []itemV1       `msg:"items"`
}

// itemV1 is an item of format 1, with the fields of catalog.Item.
type itemV1 struct {
	ID         string          `msg:"id"`
	URL        string          `msg:"url"`
	Title      string          `msg:"title"`
	Summary    string          `msg:"sum"`
	Section    string          `msg:"sec"`
	Topics     []topicWeightV1 `msg:"topics"`
	Terms      []string        `msg:"terms"`
	Vector     []byte          `msg:"vec"`
	Scale      float32         `msg:"scale"`
	Published  int64           `msg:"pub"`
	Popularity float32         `msg:"pop"`
	Thumb      []byte          `msg:"thumb"`
}

// topicWeightV1 is a [topic, weight] pair.
type topicWeightV1 struct {
	Topic  uint16  `msg:"t"`
	Weight float32 `msg:"w"`
}

//msgp:tuple topicWeightV1

// decodeV1 decodes a format 1 catalogue and upgrades it to format 2. The
// upgraded catalogue is then encoded and decoded as any other, so that the
// engine's limits and validation hold for it.
func decodeV1(b []byte) (*catalog.Catalogue, error) {
	if len(b) > catalog.DefaultMaxBytes {
		return nil, fmt.Errorf("decode catalogue format 1: %w: %d bytes, limit %d", catalog.ErrTooLarge, len(b), catalog.DefaultMaxBytes)
	}
	// The msgp-generated decoder trusts array headers; core/wire's walk
	// refuses any header that claims more elements than bytes remain.
	r := wire.NewReader(b)
	r.Skip()
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("decode catalogue format 1: %w: %w", catalog.ErrCorrupt, err)
	}
	var d documentV1
	rest, err := d.UnmarshalMsg(b)
	if err != nil {
		return nil, fmt.Errorf("decode catalogue format 1: %w: %w", catalog.ErrCorrupt, err)
	}
	if len(rest) != 0 {
		return nil, fmt.Errorf("decode catalogue format 1: %w: %d trailing bytes", catalog.ErrCorrupt, len(rest))
	}
	c := &catalog.Catalogue{
		Version: catalog.FormatVersion, ID: d.ID, Generated: d.Generated, Policy: d.Policy,
		Topics: d.Topics, Dim: d.Dim, Gram: d.Gram, Lambda: d.Lambda,
	}
	if len(d.Items) != 0 {
		c.Items = make([]catalog.Item, len(d.Items))
	}
	for i, it := range d.Items {
		c.Items[i] = catalog.Item{
			ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary, Section: it.Section,
			Terms: it.Terms, Vector: it.Vector, Scale: it.Scale, Published: it.Published,
			Popularity: it.Popularity, Thumb: it.Thumb,
		}
		for _, tw := range it.Topics {
			c.Items[i].Topics = append(c.Items[i].Topics, catalog.TopicWeight(tw))
		}
	}
	upgraded, err := c.Encode()
	if err != nil {
		return nil, fmt.Errorf("upgrade catalogue format 1: %w", err)
	}
	c, err = catalog.DecodeLimits(upgraded, readLimits)
	if err != nil {
		return nil, fmt.Errorf("upgrade catalogue format 1: %w", err)
	}
	return c, nil
}

// readLimits are the limits the builder reads a publisher's own catalogue
// with (-previous, -merge, inspect): a reader's memory bounds (128 MiB, 8
// bytes per byte) protect browsers from hostile files, but a 100,000-item
// catalogue with text is charged about 160 MB, and the publisher must be
// able to carry it over.
var readLimits = catalog.Limits{MaxMemory: 2 << 30, MaxMemoryRatio: 64}

// decode decodes a catalogue in this release's format, or upgrades one in
// format 1.
func decode(b []byte) (*catalog.Catalogue, error) {
	c, err := catalog.DecodeLimits(b, readLimits)
	if errors.Is(err, catalog.ErrVersion) && catalog.FormatOf(b) == 1 {
		return decodeV1(b)
	}
	return c, err
}
