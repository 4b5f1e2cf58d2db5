package eval

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// transitionCounts is what a publisher's access log gives of the histories
// in train: each user's positives in time order (ties by item, as the
// split orders them), every consecutive pair counted, the counts summed
// over users into one from,to,count row per pair of items, named by the
// items' catalogue URLs. No user is in it; it is all the builder sees.
func transitionCounts(ds *Dataset, train []Interaction) []collab.NamedTransition {
	byUser := map[int][]Interaction{}
	for _, x := range train {
		byUser[x.User] = append(byUser[x.User], x)
	}
	count := map[[2]int]float64{}
	for _, h := range byUser {
		slices.SortStableFunc(h, func(a, b Interaction) int {
			return cmp.Or(cmp.Compare(a.Time, b.Time), cmp.Compare(a.Item, b.Item))
		})
		for k := 1; k < len(h); k++ {
			count[[2]int{h[k-1].Item, h[k].Item}]++
		}
	}
	pairs := make([][2]int, 0, len(count))
	for p := range count {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	out := make([]collab.NamedTransition, len(pairs))
	for k, p := range pairs {
		out[k] = collab.NamedTransition{From: itemURL(ds.Items[p[0]].ID), To: itemURL(ds.Items[p[1]].ID), Count: count[p]}
	}
	return out
}

// panelRows are the histories in train of the users in fold f, as a
// consenting panel's user,item,time rows.
func panelRows(ds *Dataset, train []Interaction, folds []int, f int) []collab.NamedInteraction {
	var out []collab.NamedInteraction
	for _, x := range train {
		if folds[x.User] == f {
			out = append(out, collab.NamedInteraction{User: strconv.Itoa(x.User), Item: itemURL(ds.Items[x.Item].ID), Time: x.Time})
		}
	}
	return out
}

// counted marks the items of a data set that some transition row links to
// another item.
func counted(ds *Dataset, counts []collab.NamedTransition) []bool {
	index := ds.itemIndex()
	has := make([]bool, len(ds.Items))
	for _, t := range counts {
		from, okf := index[idOf(t.From)]
		to, okt := index[idOf(t.To)]
		if okf && okt && from != to && t.Count > 0 {
			has[from], has[to] = true, true
		}
	}
	return has
}

// inFold marks the items some user of fold f has in their history.
func inFold(ds *Dataset, train []Interaction, folds []int, f int) []bool {
	has := make([]bool, len(ds.Items))
	for _, x := range train {
		if folds[x.User] == f {
			has[x.Item] = true
		}
	}
	return has
}

// collabCatalogue builds what a publisher ships with collaborative vectors: a copy
// of the text catalogue with vectors learned from in by build/collab
// (hearth-catalog's -transitions and -panel), items without data mapped
// from their text vectors.
func collabCatalogue(textCat *catalog.Catalogue, in collab.Input, o collab.Options) (*catalog.Catalogue, collab.Report, error) {
	c := *textCat
	c.Items = slices.Clone(textCat.Items)
	rep, err := collab.Attach(&c, in, nil, o)
	if err != nil {
		return nil, rep, fmt.Errorf("collaborative vectors: %w", err)
	}
	return &c, rep, nil
}

// shippedFactors are the vectors a catalogue ships, by data set item, with
// its Gram matrix and λ: the factors a device folds its reader in against.
func shippedFactors(ds *Dataset, c *catalog.Catalogue) *collab.Factors {
	f := &collab.Factors{Dim: c.Dim, Y: make([][]float32, len(ds.Items)), Gram: c.Gram, Lambda: c.Lambda}
	index := ds.itemIndex()
	for _, it := range c.Items {
		i, ok := index[idOf(it.URL)]
		if ok && it.Scale > 0 && len(it.Vector) == c.Dim {
			f.Y[i] = text.Dequantize(it.Vector, it.Scale)
		}
	}
	return f
}
