//go:build !js

package browserbench

import (
	"fmt"
	"time"

	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
)

// Dim is the vector dimension of the benchmark catalogues.
const Dim = 64

// Seed makes the synthetic items, and so every benchmark catalogue, the
// same from run to run.
const Seed = 1

// Policy is the benchmark catalogues' policy. Diversity and exploration are
// the smallest positive values (zero means the default), so that the
// engine's list is its scoring order, the order the JavaScript reference
// produces: the two can then be checked to agree. The engine still runs
// every stage (the diversification loop, the exploration draw, the
// reasons); only their effect on the order vanishes.
var Policy = catalog.Policy{Diversity: 1e-6, Exploration: 1e-6}

// Catalogue builds the benchmark catalogue of n items with the catalogue
// builder: build/catalogue's synthetic items (60 latent subjects, Zipf
// popularity, three years of dates, 25-word summaries) with 64-dimensional
// text vectors, built with the builder's defaults, so without the summaries
// and key terms. It returns the msgpack bytes and the catalogue's
// generation time.
func Catalogue(n int) ([]byte, time.Time, error) {
	return build(n, pack.Options{Dim: Dim})
}

// CatalogueWithText is [Catalogue] built with KeepText: the same items
// with their summaries and key terms, which a catalogue leaves out by
// default.
func CatalogueWithText(n int) ([]byte, time.Time, error) {
	return build(n, pack.Options{Dim: Dim, KeepText: true})
}

func build(n int, opts pack.Options) ([]byte, time.Time, error) {
	cat, err := pack.Build(pack.Synthetic(n, Seed), Policy, opts)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("build %d-item catalogue: %w", n, err)
	}
	b, _, err := pack.Encode(cat)
	if err != nil {
		return nil, time.Time{}, err
	}
	return b, time.Unix(cat.Generated, 0).UTC(), nil
}
