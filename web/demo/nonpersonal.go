package demo

import (
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/rank"
)

// NonPersonal returns an [Options.Fallback] that ranks cat with Hearth's own
// engine for a reader without a profile: the publisher's non-personal order,
// exactly what the engine shows a reader before it has learned anything.
// now is read on each call, so freshness follows the clock.
func NonPersonal(cat *catalog.Catalogue, now func() time.Time) func(current string, count int) []Link {
	engine := rank.New(cat)
	byURL := make(map[string]string, len(cat.Items))
	for _, it := range cat.Items {
		byURL[it.URL] = it.ID
	}
	return func(current string, count int) []Link {
		req := rank.Request{Count: count, Now: now().Unix()}
		if current != "" {
			req.Current, req.Related = byURL[current], true
		}
		recs := engine.Recommend(nil, req)
		out := make([]Link, len(recs))
		for i, r := range recs {
			out[i] = Link{ID: r.ID, URL: r.URL, Title: r.Title}
		}
		return out
	}
}
