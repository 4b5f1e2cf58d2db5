//go:build !hearthlean

package catalog

import "github.com/hearth-dev/hearth/core/internal/scan"

//go:generate go tool msgp -io=false -unexported -file legacy.go -o legacy_gen.go
//go:generate go run ../internal/gentag -tag !hearthlean legacy_gen.go legacy_gen_test.go

// Format 1, one map per item, is read by ordinary builds only: the
// catalogue builder, so that an incremental build (-previous) upgrades a
// catalogue written before format 2 without losing its items, the demo
// server and the tests. The engine reads format 2 alone and refuses
// format 1 with ErrVersion: publishers rebuild their catalogue when they
// upgrade Hearth, and readers never pay for a second decoder.

// documentV1 is a format 1 catalogue: items as an array of maps.
type documentV1 struct {
	Version   int       `msg:"v"`
	ID        string    `msg:"id"`
	Generated int64     `msg:"gen"`
	Policy    Policy    `msg:"policy"`
	Topics    []string  `msg:"topics"`
	Dim       int       `msg:"dim"`
	Gram      []float32 `msg:"gram"`
	Lambda    float32   `msg:"lambda"`
	Items     []itemV1  `msg:"items"`
}

// itemV1 is an item of format 1, with the fields of Item.
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

// unmarshalV1 decodes a format 1 catalogue within lim, as format 2 is
// decoded: prescan with the limits of format 1's layout, msgp, then the
// conversion. The catalogue is upgraded: its Version is FormatVersion.
func unmarshalV1(b []byte, lim Limits) (*Catalogue, error) {
	rest, err := scan.Walk(b, maxNesting, newLimiter(lim).visitV1)
	if err = scanError(err, rest); err != nil {
		return nil, err
	}
	var d documentV1
	if rest, err = d.UnmarshalMsg(b); err != nil {
		return nil, corrupt(err)
	}
	if len(rest) != 0 {
		return nil, trailing(len(rest))
	}
	c := &Catalogue{
		Version: FormatVersion, ID: d.ID, Generated: d.Generated, Policy: d.Policy,
		Topics: d.Topics, Dim: d.Dim, Gram: d.Gram, Lambda: d.Lambda,
	}
	if len(d.Items) != 0 {
		c.Items = make([]Item, len(d.Items))
	}
	for i, it := range d.Items {
		c.Items[i] = Item{
			ID: it.ID, URL: it.URL, Title: it.Title, Summary: it.Summary, Section: it.Section,
			Terms: it.Terms, Vector: it.Vector, Scale: it.Scale, Published: it.Published,
			Popularity: it.Popularity, Thumb: it.Thumb,
		}
		for _, tw := range it.Topics {
			c.Items[i].Topics = append(c.Items[i].Topics, TopicWeight(tw))
		}
	}
	return c, nil
}

// visitV1 is visit for format 1: items at depth 2, their fields at 3.
func (l *limiter) visitV1(depth int, key []byte, n int, isMap bool) error {
	lim := &l.lim
	switch {
	case depth == 1 && !isMap && string(key) == "items":
		return l.admit(n, lim.MaxItems, "", " items", sizeItem, "items")
	case depth == 3 && !isMap && string(key) == "topics":
		return l.admit(n, lim.MaxTopicsPerItem, "an item has ", " topics", sizeTopicWeight, "item topics")
	case depth == 3 && !isMap && string(key) == "terms":
		return l.admit(n, lim.MaxTermsPerItem, "an item has ", " terms", sizeString, "item terms")
	case depth == 2 && !isMap:
		return l.admit(n, lim.MaxPolicyList, "policy "+string(key)+" has ", " entries", sizeSlice, "policy")
	}
	return l.visit(depth, key, n, isMap)
}
