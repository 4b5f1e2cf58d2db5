//go:build !hearthlean

package bridge

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBridge_LoadProfileAhead: a profile written while the page's clock ran
// decades ahead is brought back to the page's clock on load and stored at
// once, so that decay and retention run from then on even if the reader
// changes nothing.
func TestBridge_LoadProfileAhead(t *testing.T) {
	y2100 := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	stored := ok(t, loaded(t), Request{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 60, Now: y2100}).Profile

	b := New()
	ok(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t)})
	resp := ok(t, b, Request{Op: OpLoadProfile, Bytes: stored})
	p := decodeProfile(t, resp.Profile)
	require.Equal(t, now.Unix(), p.Updated)
	require.Len(t, p.Events, 1)
	require.Equal(t, now.Unix(), p.Events[0].Time)

	// A year on, loading what was stored drops the read.
	resp = ok(t, b, Request{Op: OpLoadProfile, Bytes: resp.Profile, Now: now.AddDate(1, 0, 0).UnixMilli()})
	require.Empty(t, decodeProfile(t, resp.Profile).Events)
}
