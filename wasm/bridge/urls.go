package bridge

import "github.com/hearth-dev/hearth/core/catalog"

// urlIndex finds a catalogue's items by URL, for a page that names its item
// by its address. The map from URL to item is built only when a second
// URL is asked for: a page asks for its own URL first (its view, then its
// recommendations without itself), and a scan of the items answers that,
// where building the map took 6-20 ms of the first load at 10,000 items in
// the browser. The last answer is kept, so the page's repeated question
// costs nothing.
type urlIndex struct {
	items []catalog.Item
	byURL map[string]int
	asked int // URLs asked for, repeats of the last one not counted

	last     string
	lastI    int
	lastOK   bool
	answered bool // last holds an answer
}

// find resolves a URL to an item index. A page's canonical URL is absolute
// while a catalogue may list site-relative paths, so an absolute URL that
// matches nothing is tried again as its path.
func (x *urlIndex) find(s string) (int, bool) {
	if x.answered && s == x.last {
		return x.lastI, x.lastOK
	}
	x.asked++
	i, ok := x.resolve(s)
	x.last, x.lastI, x.lastOK, x.answered = s, i, ok, true
	return i, ok
}

func (x *urlIndex) resolve(s string) (int, bool) {
	s = before(s, '#')
	if i, ok := x.lookup(s); ok {
		return i, true
	}
	// After "://" (strings.Cut, which links strings.Index for this one
	// search, was 3.4 KB of code).
	for k := 0; k+3 <= len(s); k++ {
		if s[k:k+3] != "://" {
			continue
		}
		rest := s[k+3:]
		path := rest[len(before(rest, '/')):]
		if path == "" {
			path = "/"
		}
		if i, ok := x.lookup(before(path, '?')); ok {
			return i, true
		}
		break
	}
	return 0, false
}

// before returns s up to its first c, all of s without one. A loop, not
// strings.IndexByte: the engine does not link package strings.
func before(s string, c byte) string {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return s[:i]
		}
	}
	return s
}

// lookup returns the item listed under URL u, the last one when several
// are, as the map filled in catalogue order holds.
func (x *urlIndex) lookup(u string) (int, bool) {
	if x.byURL == nil && x.asked <= 1 {
		for i := len(x.items) - 1; i >= 0; i-- {
			if x.items[i].URL == u {
				return i, u != ""
			}
		}
		return 0, false
	}
	if x.byURL == nil {
		x.byURL = make(map[string]int, len(x.items))
		for i, it := range x.items {
			if it.URL != "" {
				x.byURL[it.URL] = i
			}
		}
	}
	i, ok := x.byURL[u]
	return i, ok
}
