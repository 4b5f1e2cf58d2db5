//go:build !hearthlean

package bridge

import (
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/stretchr/testify/require"
)

// TestBridge_RecommendMemo checks that the engine's memo never serves a
// stale profile: after every kind of change, recommend lists what a fresh
// engine lists for the bridge's current profile.
func TestBridge_RecommendMemo(t *testing.T) {
	b := reader(t)
	exported := ok(t, b, Request{Op: OpExport}).Doc
	stored := ok(t, b, Request{Op: OpTrack, Item: "go3", Kind: "view"}).Profile
	steps := []Request{
		{Op: OpTrack, Item: "soup", Kind: "like"},
		{Op: OpTrack, Item: "bread", Kind: "hide"},
		{Op: OpTrack, Kind: "mute", Topic: "cooking"},
		{Op: OpUnmute, Topic: "cooking"},
		{Op: OpUnhide, Item: "bread"},
		{Op: OpVariety, Variety: 1},
		{Op: OpForgetItem, Item: "go1"},
		{Op: OpForgetTopic, Topic: "go"},
		{Op: OpTrack, Item: "bread", Kind: "like", Bytes: stored},
		{Op: OpClear},
		{Op: OpImport, Doc: exported},
		{Op: OpLoadProfile, Bytes: stored},
		{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: profile.ConsentGranted},
		{Op: OpTrack, Item: "go2", Kind: "dislike"},
	}
	at := now
	for _, step := range steps {
		at = at.Add(time.Hour)
		step.Now = at.UnixMilli()
		ok(t, b, step)
		for _, req := range []Request{{Op: OpRecommend, Count: 5}, {Op: OpRecommend, Count: 3, Related: true, Item: "soup"}} {
			for _, later := range []time.Duration{0, time.Minute} {
				req.Now = at.Add(later).UnixMilli()
				got := ok(t, b, req).Recs
				fresh := rank.New(b.cat).Recommend(b.prof, rank.Request{
					Count: req.Count, Related: req.Related, Current: req.Item, Now: time.UnixMilli(req.Now).Unix()})
				want := make([]Rec, len(fresh))
				for i, r := range fresh {
					want[i] = Rec{ID: r.ID, URL: r.URL, Title: r.Title}
					for _, why := range r.Reasons {
						want[i].Reasons = append(want[i].Reasons, Reason{Code: why.Code, Text: why.Text, Ref: why.Ref})
					}
				}
				require.Equal(t, want, got, "after %s", step.Op)
			}
		}
	}
}
