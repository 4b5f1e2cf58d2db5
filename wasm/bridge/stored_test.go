//go:build !hearthlean

package bridge

import (
	"bytes"
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
		OpImport:      {Op: OpImport, Doc: ok(t, reader(t), Request{Op: OpExport}).Doc},
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
	flipped := bytes.Clone(valid)
	flipped[len(flipped)/2] ^= 0x01
	for name, data := range map[string][]byte{
		"one bit flipped": flipped,
		"not msgpack":     []byte("<html>"),
		"truncated":       valid[:len(valid)/2],
		"version 0":       func() []byte { b, _ := (&profile.Profile{}).MarshalMsg(nil); return b }(),
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

// TestBridge_UnsealedProfile: a profile stored unsealed, by a release
// before the seal, is read, and replied sealed for the Worker to store
// again, by load-profile and by a change that leaves it otherwise as it
// was; a sealed one that nothing changed is not replied.
func TestBridge_UnsealedProfile(t *testing.T) {
	sealed := ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "view"}).Profile
	require.True(t, profile.Sealed(sealed))
	unsealed, err := profile.Open(sealed)
	require.NoError(t, err)
	unsealed = bytes.Clone(unsealed)
	want := decodeProfile(t, sealed)

	for _, r := range []Request{
		{Op: OpLoadProfile},
		{Op: OpTrack, Item: "flu", Kind: "read", Dwell: 60}, // sensitive: learns nothing
	} {
		t.Run(r.Op, func(t *testing.T) {
			r.Bytes = unsealed
			resp := ok(t, loaded(t), r)
			require.True(t, profile.Sealed(resp.Profile), "stored again, sealed")
			require.Equal(t, want, decodeProfile(t, resp.Profile))

			r.Bytes = sealed
			require.Empty(t, ok(t, loaded(t), r).Profile, "a sealed profile nothing changed is not stored again")
		})
	}
}
