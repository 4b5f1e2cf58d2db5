package catalog

import (
	"strconv"

	"github.com/hearth-dev/hearth/core/internal/chunk"
	"github.com/hearth-dev/hearth/core/internal/errfmt"
)

// The conversions between a catalogue and its document (catalog.go's
// format): both codecs, the msgp-generated reference and the lean one,
// encode and decode documents and share these, so they agree on items by
// construction.

// document returns c as it travels. It refuses what columns cannot carry:
// a vector of other than Dim bytes, or one without a scale, which a
// decoder would take for no vector.
func (c *Catalogue) document() (*document, error) {
	d := &document{
		Version: c.Version, ID: c.ID, Generated: c.Generated, Policy: c.Policy,
		Topics: c.Topics, Dim: c.Dim, Gram: c.Gram, Lambda: c.Lambda,
	}
	n := len(c.Items)
	if n == 0 {
		return d, nil
	}
	cols := &d.Items
	cols.ID = make([]string, n)
	var has struct{ url, title, sum, sec, topics, terms, vec, pub, pop, thumb bool }
	for i := range c.Items {
		it := &c.Items[i]
		cols.ID[i] = it.ID
		has.url = has.url || it.URL != ""
		has.title = has.title || it.Title != ""
		has.sum = has.sum || it.Summary != ""
		has.sec = has.sec || it.Section != ""
		has.topics = has.topics || len(it.Topics) != 0
		has.terms = has.terms || len(it.Terms) != 0
		has.vec = has.vec || len(it.Vector) != 0
		has.pub = has.pub || it.Published != 0
		has.pop = has.pop || it.Popularity != 0
		has.thumb = has.thumb || len(it.Thumb) != 0
		if v := len(it.Vector); v != 0 && (v != c.Dim || it.Scale == 0) {
			return nil, errfmt.Wrap("", ErrInvalid, ": "+itemName(i, it)+": a vector of "+errfmt.Itoa(v)+
				" bytes with scale "+strconv.FormatFloat(float64(it.Scale), 'g', -1, 32)+" (dim "+errfmt.Itoa(c.Dim)+", scale not 0)")
		}
	}
	column(&cols.URL, has.url, c.Items, func(it *Item) string { return it.URL })
	column(&cols.Title, has.title, c.Items, func(it *Item) string { return it.Title })
	column(&cols.Summary, has.sum, c.Items, func(it *Item) string { return it.Summary })
	column(&cols.Section, has.sec, c.Items, func(it *Item) string { return it.Section })
	column(&cols.Published, has.pub, c.Items, func(it *Item) int64 { return it.Published })
	column(&cols.Popularity, has.pop, c.Items, func(it *Item) float32 { return it.Popularity })
	column(&cols.Thumb, has.thumb, c.Items, func(it *Item) []byte { return it.Thumb })
	if has.topics {
		column(&cols.TopicCount, true, c.Items, func(it *Item) uint16 { return uint16(len(it.Topics)) })
		for i := range c.Items {
			it := &c.Items[i]
			if len(it.Topics) > 1<<16-1 {
				return nil, errfmt.Wrap("", ErrTooLarge, ": "+itemName(i, it)+": "+errfmt.Itoa(len(it.Topics))+" topics")
			}
			for _, tw := range it.Topics {
				cols.Topic = append(cols.Topic, tw.Topic)
				cols.Weight = append(cols.Weight, tw.Weight)
			}
		}
	}
	if has.terms {
		column(&cols.TermCount, true, c.Items, func(it *Item) uint16 { return uint16(len(it.Terms)) })
		for i := range c.Items {
			it := &c.Items[i]
			if len(it.Terms) > 1<<16-1 {
				return nil, errfmt.Wrap("", ErrTooLarge, ": "+itemName(i, it)+": "+errfmt.Itoa(len(it.Terms))+" terms")
			}
			cols.Term = append(cols.Term, it.Terms...)
		}
	}
	if has.vec {
		cols.Vector = make([]byte, n*c.Dim)
		column(&cols.Scale, true, c.Items, func(it *Item) float32 { return it.Scale })
		for i := range c.Items {
			copy(cols.Vector[i*c.Dim:], c.Items[i].Vector)
			if len(c.Items[i].Vector) == 0 {
				cols.Scale[i] = 0
			}
		}
	}
	return d, nil
}

// column sets *col to field of every item when has, else leaves it empty.
func column[T any](col *[]T, has bool, items []Item, field func(*Item) T) {
	if !has {
		return
	}
	*col = make([]T, len(items))
	for i := range items {
		(*col)[i] = field(&items[i])
	}
}

// catalogue returns the catalogue d carries. Its items share d's columns:
// strings, terms, vectors and thumbnails are not copied. It refuses
// columns whose lengths disagree (ErrCorrupt), which no encoder writes.
func (d *document) catalogue() (*Catalogue, error) {
	c := &Catalogue{
		Version: d.Version, ID: d.ID, Generated: d.Generated, Policy: d.Policy,
		Topics: d.Topics, Dim: d.Dim, Gram: d.Gram, Lambda: d.Lambda,
	}
	cols := &d.Items
	n := len(cols.ID)
	if err := cols.check(n, d.Dim); err != nil {
		return nil, err
	}
	if n == 0 {
		return c, nil
	}
	c.Items = make([]Item, n)
	var topics []TopicWeight
	if len(cols.Topic) != 0 {
		topics = make([]TopicWeight, len(cols.Topic))
		for k := range topics {
			topics[k] = TopicWeight{Topic: cols.Topic[k], Weight: cols.Weight[k]}
		}
	}
	// In chunks (package chunk): one loop over every item ran unoptimised
	// to its end.
	var cur cursor
	chunk.Each(n, func(lo, hi int) { cur = d.fill(c, topics, lo, hi, cur) })
	return c, nil
}

// cursor is where the next item's topics and terms start in their columns.
type cursor struct{ topic, term int }

// fill turns items lo to hi from the columns into c.Items.
//
//go:noinline
func (d *document) fill(c *Catalogue, topics []TopicWeight, lo, hi int, cur cursor) cursor {
	cols := &d.Items
	topic, term := cur.topic, cur.term
	for i := lo; i < hi; i++ {
		it := &c.Items[i]
		it.ID = cols.ID[i]
		it.URL = at(cols.URL, i)
		it.Title = at(cols.Title, i)
		it.Summary = at(cols.Summary, i)
		it.Section = at(cols.Section, i)
		if k := int(at(cols.TopicCount, i)); k != 0 {
			it.Topics = topics[topic : topic+k : topic+k]
			topic += k
		}
		if k := int(at(cols.TermCount, i)); k != 0 {
			it.Terms = cols.Term[term : term+k : term+k]
			term += k
		}
		if it.Scale = at(cols.Scale, i); it.Scale != 0 && d.Dim != 0 { // the Vector column is full (check)
			it.Vector = cols.Vector[i*d.Dim : (i+1)*d.Dim : (i+1)*d.Dim]
		}
		it.Published = at(cols.Published, i)
		it.Popularity = at(cols.Popularity, i)
		if t := at(cols.Thumb, i); len(t) != 0 {
			it.Thumb = t
		}
	}
	return cursor{topic, term}
}

// at is col[i], or the zero value when the column is empty.
func at[T any](col []T, i int) T {
	if len(col) == 0 {
		var zero T
		return zero
	}
	return col[i]
}

// check refuses columns whose lengths do not fit n items of dim.
func (cols *itemColumns) check(n, dim int) error {
	for _, col := range [...]struct {
		name string
		len  int
	}{
		{"url", len(cols.URL)}, {"title", len(cols.Title)}, {"sum", len(cols.Summary)},
		{"sec", len(cols.Section)}, {"ntopic", len(cols.TopicCount)}, {"nterm", len(cols.TermCount)},
		{"scale", len(cols.Scale)}, {"pub", len(cols.Published)}, {"pop", len(cols.Popularity)},
		{"thumb", len(cols.Thumb)},
	} {
		if col.len != 0 && col.len != n {
			return columnError(col.name, col.len, errfmt.Itoa(n)+" (one per item) or none")
		}
	}
	topics, terms := 0, 0
	for _, k := range cols.TopicCount {
		topics += int(k)
	}
	for _, k := range cols.TermCount {
		terms += int(k)
	}
	switch {
	case len(cols.Topic) != topics:
		return columnError("topic", len(cols.Topic), errfmt.Itoa(topics))
	case len(cols.Weight) != topics:
		return columnError("weight", len(cols.Weight), errfmt.Itoa(topics))
	case len(cols.Term) != terms:
		return columnError("term", len(cols.Term), errfmt.Itoa(terms))
	case len(cols.Vector) != 0 && (dim <= 0 || len(cols.Vector)%dim != 0 || len(cols.Vector)/dim != n):
		return columnError("vec", len(cols.Vector), errfmt.Itoa(n)+"×dim "+errfmt.Itoa(dim)+" or none")
	case (len(cols.Vector) == 0) != (len(cols.Scale) == 0):
		return errfmt.Wrap("", ErrCorrupt, ": items: vectors and scales must come together")
	}
	return nil
}

func columnError(name string, got int, want string) error {
	return errfmt.Wrap("", ErrCorrupt, ": items: column "+errfmt.Quote(name)+" has "+errfmt.Itoa(got)+" entries, want "+want)
}

// itemName names item i for an error: its position and clipped id.
func itemName(i int, it *Item) string {
	return "item " + errfmt.Itoa(i) + " " + errfmt.Quote(clip(it.ID))
}
