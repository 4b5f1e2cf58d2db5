//go:build !hearthlean

package bridge

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzBridge_Dispatch feeds arbitrary bytes to a bridge with a catalogue and
// a profile: every input must give a response that decodes, and a failed
// one must carry no profile to store.
func FuzzBridge_Dispatch(f *testing.F) {
	cat := testCatalogue(f)
	for _, r := range []Request{
		{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 12},
		{Op: OpRecommend, Count: 3, Related: true, Item: "/p/go2", Seed: 7},
		{Op: OpImport, Doc: []byte{0x81, 0xa7, 'v', 'e', 'r', 's', 'i', 'o', 'n', 2}},
		{Op: OpForgetEvent, Index: 1},
		{Op: OpVariety, Variety: -0.5},
		{Op: OpLoadProfile, Bytes: []byte{0x80}},
		{Op: OpLoadCatalogue, Bytes: cat[:64]},
	} {
		r.Now = now.UnixMilli()
		b, err := r.MarshalMsg(nil)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, req []byte) {
		b := reader(t)
		var resp Response
		rest, err := resp.UnmarshalMsg(b.Dispatch(req))
		require.NoError(t, err)
		require.Empty(t, rest)
		if resp.Code != "" {
			require.Empty(t, resp.Profile)
		}
	})
}
