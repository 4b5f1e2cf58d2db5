package collab

import (
	"cmp"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/build/text"
	"github.com/hearth-dev/hearth/core/catalog"
)

// ErrSupplied means the catalogue already carries publisher-supplied
// vectors with a Gram matrix, which collaborative vectors would replace.
var ErrSupplied = errors.New("catalogue already has supplied vectors")

// Index finds catalogue items by the names aggregate files use. A name
// matches an item by, in order: its URL, its URL after the build's
// -url-prefix rewrite, the same without query and fragment, the path of
// either (a log's "/blog/x" matches an item https://example.com/blog/x,
// unless two items share that path), that path with or without a trailing
// slash (a folder's index, "/blog/x/", is the page "/blog/x" on most hosts),
// its catalogue id, or its publisher id (whose StableID is the catalogue
// id).
type Index struct {
	key     map[string]int
	rewrite func(string) string
}

// NewIndex indexes items; rewrite (nil for none) is the build's URL
// rewrite, applied to names too.
func NewIndex(items []catalog.Item, rewrite func(string) string) *Index {
	x := &Index{key: map[string]int{}, rewrite: rewrite}
	// An item's path, then that path's other slash: each names the one
	// item that has it (-1 when several do), unless a stronger key does.
	paths, slashed := map[string]int{}, map[string]int{}
	note := func(m map[string]int, p string, i int) {
		if _, dup := m[p]; dup {
			m[p] = -1
		} else {
			m[p] = i
		}
	}
	for i, it := range items {
		if it.URL == "" {
			continue
		}
		x.key[it.URL] = i
		p := pathOf(it.URL)
		if p != "" && p != it.URL {
			note(paths, p, i)
		}
		if alt := otherSlash(p); alt != "" {
			note(slashed, alt, i)
		}
	}
	for _, m := range []map[string]int{paths, slashed} {
		for p, i := range m {
			if _, taken := x.key[p]; !taken && i >= 0 {
				x.key[p] = i
			}
		}
	}
	for i, it := range items {
		x.key["id:"+it.ID] = i
	}
	return x
}

// Find returns the index of the item a name refers to.
func (x *Index) Find(name string) (int, bool) {
	name = strings.TrimSpace(name)
	cands := []string{name}
	if x.rewrite != nil {
		cands = append(cands, x.rewrite(name))
	}
	for _, c := range cands {
		if i, ok := x.key[c]; ok {
			return i, true
		}
		bare, _, _ := strings.Cut(c, "#")
		bare, _, _ = strings.Cut(bare, "?")
		if i, ok := x.key[bare]; ok {
			return i, true
		}
		if i, ok := x.key[pathOf(bare)]; ok {
			return i, true
		}
	}
	if i, ok := x.key["id:"+name]; ok {
		return i, true
	}
	i, ok := x.key["id:"+pack.StableID(name)]
	return i, ok
}

// otherSlash returns path with its trailing slash removed, or with one
// added, and "" for the site's root or no path.
func otherSlash(path string) string {
	switch {
	case len(path) <= 1:
		return ""
	case strings.HasSuffix(path, "/"):
		return path[:len(path)-1]
	}
	return path + "/"
}

// pathOf returns the path of an absolute http(s) URL, a site path as is,
// and "" for anything else.
func pathOf(s string) string {
	if strings.HasPrefix(s, "/") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	if u.EscapedPath() == "" {
		return "/"
	}
	return u.EscapedPath()
}

// Input is the aggregate data a build learns collaborative vectors from.
type Input struct {
	Transitions []NamedTransition
	Panel       []NamedInteraction
}

// Report says what [Attach] did.
type Report struct {
	// Rows read, and those whose items are all in the catalogue.
	Transitions, TransitionsUsed int
	Panel, PanelUsed             int
	// Members is the number of panel members with a used row: how big
	// the panel the vectors learn from is (docs/catalogue.md, "How big a
	// panel").
	Members int
	// FromRoot is the number of transition rows that leave from the
	// site's root ("/"): all of them when the pages' Referrer-Policy
	// hides the page a reader came from.
	FromRoot int
	// Unknown is the number of distinct names that are no catalogue
	// item; Examples the most frequent of them.
	Unknown  int
	Examples []string
	// Withheld is how many items the panel taught nothing, for fewer than
	// Options.MinMembers members having them (Factors.Withheld).
	Withheld int
	// Learned items have a factor from the data, Mapped ones from their
	// text; Without items have neither and ship no vector.
	Learned, Mapped, Without int
	// Dim is the shipped vectors' dimension, the last TextDims of them
	// the items' text (Factors.AppendText), appended at TextWeight
	// (Options.TextWeight as resolved; 0 when none is).
	Dim, TextDims int
	TextWeight    float64
}

// Attach learns collaborative vectors for c's items from in and puts them
// into c in place of its text vectors, with their Gram matrix and λ. Items
// the data does not cover get vectors mapped from their text vectors
// (c's vectors when Attach is called: build c with text vectors). rewrite
// is the build's URL rewrite (nil for none).
func Attach(c *catalog.Catalogue, in Input, rewrite func(string) string, o Options) (Report, error) {
	var rep Report
	if len(c.Gram) > 0 {
		return rep, ErrSupplied
	}
	if len(in.Transitions) == 0 && len(in.Panel) == 0 {
		return rep, fmt.Errorf("%w: the input has no rows", ErrNoData)
	}
	idx := NewIndex(c.Items, rewrite)
	unknown := map[string]int{}
	find := func(name string) (int, bool) {
		i, ok := idx.Find(name)
		if !ok {
			unknown[name]++
		}
		return i, ok
	}
	var counts []Transition
	for _, t := range in.Transitions {
		if pathOf(t.From) == "/" {
			rep.FromRoot++
		}
		from, okf := find(t.From)
		to, okt := find(t.To)
		if okf && okt {
			counts = append(counts, Transition{From: from, To: to, Count: t.Count})
		}
	}
	users := map[string]int{}
	var panel []Interaction
	for _, x := range in.Panel {
		i, ok := find(x.Item)
		if !ok {
			continue
		}
		u, seen := users[x.User]
		if !seen {
			u = len(users)
			users[x.User] = u
		}
		panel = append(panel, Interaction{User: u, Item: i, Time: x.Time})
	}
	rep.Transitions, rep.TransitionsUsed = len(in.Transitions), len(counts)
	rep.Panel, rep.PanelUsed, rep.Members = len(in.Panel), len(panel), len(users)
	rep.Unknown = len(unknown)
	names := make([]string, 0, len(unknown))
	for n := range unknown {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(unknown[b], unknown[a]), cmp.Compare(a, b))
	})
	rep.Examples = names[:min(3, len(names))]
	if len(counts) == 0 && len(panel) == 0 {
		return rep, fmt.Errorf("%w: no row names catalogue items (%d names are none)", ErrNoData, rep.Unknown)
	}

	o, err := o.Resolved(len(panel) > 0)
	if err != nil {
		return rep, err
	}
	f, err := Train(panel, counts, len(c.Items), o)
	if err != nil {
		return rep, err
	}
	rep.Learned, rep.Withheld = f.Covered(), f.Withheld
	texts := make([][]float32, len(c.Items))
	for i, it := range c.Items {
		if len(it.Vector) == c.Dim && it.Scale > 0 {
			texts[i] = text.Dequantize(it.Vector, it.Scale)
		}
	}
	if rep.Mapped, err = f.MapText(texts, 0); err != nil {
		return rep, err
	}
	if rep.TextDims, err = f.AppendText(texts, o.TextWeight); err != nil {
		return rep, err
	}
	if rep.TextDims > 0 {
		rep.TextWeight = o.TextWeight
	}
	rep.Dim = f.Dim
	rep.Without = len(c.Items) - f.Covered()
	if err := Ship(c, f); err != nil {
		return rep, err
	}
	return rep, nil
}

// Ship puts factors into c as its item vectors, quantised as they are (not
// normalised: ALS factors carry meaning in their length), with their Gram
// matrix and λ; items without a factor ship no vector.
func Ship(c *catalog.Catalogue, f *Factors) error {
	if len(f.Y) != len(c.Items) {
		return fmt.Errorf("%w: %d factors for %d items", ErrInput, len(f.Y), len(c.Items))
	}
	c.Dim, c.Gram, c.Lambda = f.Dim, append([]float32(nil), f.Gram...), f.Lambda
	for i, y := range f.Y {
		it := &c.Items[i]
		it.Vector, it.Scale = nil, 0
		if y == nil {
			continue
		}
		if q, s := text.Quantize(y); s > 0 {
			it.Vector, it.Scale = q, s
		}
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("collaborative vectors: %w", err)
	}
	return nil
}
