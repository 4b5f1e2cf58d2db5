//go:build !hearthlean

package bridge

import (
	"testing"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// newerProfile is a stored profile of a release whose format is one
// version past this one's: valid data this engine cannot read.
func newerProfile(t *testing.T) []byte {
	t.Helper()
	b, err := (&profile.Profile{Version: profile.FormatVersion + 1, Updated: now.Unix()}).MarshalMsg(nil)
	require.NoError(t, err)
	return b
}

// changeRequests is one request of every operation that changes the
// profile, arguments included, so that the table of ops.go is covered.
func changeRequests(t *testing.T) []Request {
	t.Helper()
	by := map[string]Request{
		OpTrack:       {Op: OpTrack, Item: "soup", Kind: "like"},
		OpImport:      {Op: OpImport, JSON: ok(t, reader(t), Request{Op: OpExport}).JSON},
		OpForgetItem:  {Op: OpForgetItem, Item: "go1"},
		OpForgetEvent: {Op: OpForgetEvent, Index: 1},
		OpForgetTopic: {Op: OpForgetTopic, Topic: "go"},
		OpUnmute:      {Op: OpUnmute, Topic: "go"},
		OpUnhide:      {Op: OpUnhide, Item: "go1"},
		OpVariety:     {Op: OpVariety, Variety: 0.5},
	}
	var out []Request
	for _, o := range ops {
		if o.change == nil {
			continue
		}
		r, found := by[o.name]
		require.True(t, found, "no test request for the change %q", o.name)
		out = append(out, r)
	}
	return out
}

// TestBridge_NewerProfile: a stored profile written by a newer release is
// refused with profile-newer, never bad-profile (which makes the Worker set
// it aside and start afresh), by load-profile and by every change applied
// to it; nothing is learned, no profile is replied to store over it, and
// the engine's own profile stays as it was.
func TestBridge_NewerProfile(t *testing.T) {
	newer := newerProfile(t)
	t.Run(OpLoadProfile, func(t *testing.T) {
		b := reader(t)
		before := ok(t, b, Request{Op: OpProfile}).View
		resp := call(t, b, Request{Op: OpLoadProfile, Bytes: newer})
		require.Equal(t, CodeProfileNewer, resp.Code, resp.Message)
		require.Contains(t, resp.Message, "version")
		require.Empty(t, resp.Profile)
		require.Equal(t, before, ok(t, b, Request{Op: OpProfile}).View)
	})
	for _, r := range changeRequests(t) {
		t.Run(r.Op, func(t *testing.T) {
			b := reader(t)
			before := ok(t, b, Request{Op: OpProfile}).View
			r.Bytes = newer
			resp := call(t, b, r)
			require.Equal(t, CodeProfileNewer, resp.Code, resp.Message)
			require.False(t, resp.Learned)
			require.Empty(t, resp.Profile, "nothing to store over the newer profile")
			require.Equal(t, before, ok(t, b, Request{Op: OpProfile}).View)
		})
	}
}

// TestBridge_CorruptProfile: a stored profile that does not decode is
// bad-profile for load-profile and every change, never profile-newer, and
// changes nothing either; the Worker sets it aside.
func TestBridge_CorruptProfile(t *testing.T) {
	valid := ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "view"}).Profile
	require.NotEmpty(t, valid)
	for name, data := range map[string][]byte{
		"not msgpack": []byte("<html>"),
		"truncated":   valid[:len(valid)/2],
		"version 0":   func() []byte { b, _ := (&profile.Profile{}).MarshalMsg(nil); return b }(),
	} {
		for _, r := range append([]Request{{Op: OpLoadProfile}}, changeRequests(t)...) {
			t.Run(name+"/"+r.Op, func(t *testing.T) {
				b := reader(t)
				before := ok(t, b, Request{Op: OpProfile}).View
				r.Bytes = data
				resp := call(t, b, r)
				require.Equal(t, CodeBadProfile, resp.Code, resp.Message)
				require.Empty(t, resp.Profile)
				require.Equal(t, before, ok(t, b, Request{Op: OpProfile}).View)
			})
		}
	}
}
