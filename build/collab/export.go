package collab

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/hearth-dev/hearth/core/profile"
)

// exportFormat is the "format" of a reader's export (docs/browser.md,
// "Export and import"), which js/export.js writes.
const exportFormat = "hearth-profile"

// ExportItems reads a reader's exported profile, b, as hearth.export()
// gives it, and returns the items the reader engaged with: those whose
// events add up to a positive weight (profile.Kind.Weight: a view, read,
// click or like counts for an item, a dislike against it), less the items
// the reader hid, in the order first met. These are the reader's rows of a consenting
// panel; nothing else of the file (times, interests, settings, topics) is
// kept. A file that is not an export of this profile format is refused,
// naming what is wrong, and so is one over the import limit
// (profile.MaxJSONBytes): read at most a byte more than it.
func ExportItems(b []byte) ([]string, error) {
	var doc struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
		Events  []struct {
			Item  string  `json:"item"`
			Kind  string  `json:"kind"`
			Dwell float32 `json:"dwell_seconds"`
		} `json:"events"`
		Hidden []string `json:"hidden"`
	}
	if len(b) > profile.MaxJSONBytes {
		return nil, fmt.Errorf("%w: over %d bytes, the import limit", ErrInput, profile.MaxJSONBytes)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: not a JSON export: %v", ErrInput, err)
	}
	if doc.Format != exportFormat {
		return nil, fmt.Errorf("%w: format %q, not a Hearth profile export (%q)", ErrInput, doc.Format, exportFormat)
	}
	if doc.Version != profile.FormatVersion {
		return nil, fmt.Errorf("%w: profile version %d (this build reads %d)", ErrInput, doc.Version, profile.FormatVersion)
	}
	weight := map[string]float32{}
	var order []string
	for i, e := range doc.Events {
		k, err := profile.ParseKind(e.Kind)
		if err != nil {
			return nil, fmt.Errorf("%w: events[%d]: %v", ErrInput, i, err)
		}
		if e.Item == "" {
			continue
		}
		if _, seen := weight[e.Item]; !seen {
			order = append(order, e.Item)
		}
		weight[e.Item] += k.Weight(e.Dwell)
	}
	return slices.DeleteFunc(order, func(item string) bool {
		return weight[item] <= 0 || slices.Contains(doc.Hidden, item)
	}), nil
}
