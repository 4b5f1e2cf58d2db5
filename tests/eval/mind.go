package eval

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// mindProtocol is the split for news clicks: each user's last click is the
// target, ranked among every article with text.
var mindProtocol = Protocol{MinPositives: 2, TargetFraction: 0, Universe: UniverseText, MaxTestUsers: maxTestUsers}

// mindTime is the layout of behaviors.tsv times, e.g. "11/15/2019 8:55:22 AM".
const mindTime = "1/2/2006 3:04:05 PM"

// LoadMIND reads a data set in the MIND layout (Microsoft News Dataset) from
// dir: news.tsv (id, category, subcategory, title, abstract, url, entities)
// and behaviors.tsv (impression id, user, time, click history, impressions
// "N1-1 N2-0"). A user's positives are the articles of their click history,
// which MIND gives without times and which therefore come just before their
// first impression in the listed order, then the articles they clicked in
// impressions, at the impression's time. Only articles with text count.
func LoadMIND(dir string) (*Dataset, error) {
	ds := &Dataset{Name: filepath.Base(filepath.Clean(dir)), Protocol: mindProtocol, Words: Words{
		Format:   "MIND",
		Positive: "a click, in the click history or in an impression",
		Item:     "article",
		Topic:    "category",
		Topics:   "categories",
		Text:     "titles, subcategories and abstracts",
	}}
	items := newIndexer()
	err := readRows(filepath.Join(dir, "news.tsv"), "\t", 5, func(f []string) error {
		title, abstract := strings.TrimSpace(f[3]), strings.TrimSpace(f[4])
		if title == "" && abstract == "" {
			return nil
		}
		if _, dup := items.index[f[0]]; dup {
			return fmt.Errorf("article %s listed twice", f[0])
		}
		items.get(f[0])
		it := Item{ID: f[0], Title: title, Text: strings.TrimSpace(f[2] + " " + abstract)}
		if f[1] != "" {
			it.Topics = []string{f[1]}
		}
		ds.Items = append(ds.Items, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load mind: %w", err)
	}

	type click struct {
		item int
		time int64
	}
	users := newIndexer()
	var history [][]int   // per user, the click history of their first impression
	var first []int64     // per user, the time of their first impression
	var clicks [][]click  // per user, clicks in impressions
	var undescribed []int // per user, history ids without an article
	err = readRows(filepath.Join(dir, "behaviors.tsv"), "\t", 5, func(f []string) error {
		at, err := time.Parse(mindTime, strings.TrimSpace(f[2]))
		if err != nil {
			return fmt.Errorf("time: %w", err)
		}
		t := at.Unix()
		u := users.get(f[1])
		if u == len(history) || t < first[u] {
			// The history column is the user's clicks before the data
			// set's period; the earliest impression's copy is the one to
			// trust.
			var h []int
			gone := 0
			for _, id := range strings.Fields(f[3]) {
				if i, ok := items.index[id]; ok {
					h = append(h, i)
				} else {
					gone++
				}
			}
			if u == len(history) {
				history, first, clicks, undescribed = append(history, h), append(first, t), append(clicks, nil), append(undescribed, gone)
			} else {
				history[u], first[u], undescribed[u] = h, t, gone
			}
		}
		for _, imp := range strings.Fields(f[4]) {
			id, label, ok := strings.Cut(imp, "-")
			if !ok || label != "1" {
				continue
			}
			if i, ok := items.index[id]; ok {
				clicks[u] = append(clicks[u], click{i, t})
			} else {
				ds.Undescribed++
			}
		}
		for _, imp := range strings.Fields(f[4]) {
			id, _, _ := strings.Cut(imp, "-")
			if i, ok := items.index[id]; ok && (ds.Items[i].Published == 0 || t < ds.Items[i].Published) {
				// MIND has no publication times; an article's first
				// impression is the closest public stand-in.
				ds.Items[i].Published = t
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load mind: %w", err)
	}
	for u := range users.ids {
		ds.Undescribed += undescribed[u]
		seen := make(map[int]bool)
		h := history[u]
		for j, i := range h {
			if !seen[i] {
				seen[i] = true
				ds.Positive = append(ds.Positive, Interaction{User: u, Item: i, Time: first[u] - int64(len(h)-j)})
			}
		}
		slices.SortStableFunc(clicks[u], func(a, b click) int { return cmp.Compare(a.time, b.time) })
		for _, c := range clicks[u] {
			if !seen[c.item] {
				seen[c.item] = true
				ds.Positive = append(ds.Positive, Interaction{User: u, Item: c.item, Time: c.time})
			}
		}
	}
	ds.Users = users.ids
	if len(ds.Positive) == 0 {
		return nil, fmt.Errorf("load mind %s: no clicks on known articles", dir)
	}
	return ds, nil
}
