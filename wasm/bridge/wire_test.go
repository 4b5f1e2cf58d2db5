//go:build !hearthlean

package bridge

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire"
	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec (message_lean_gen.go) against the msgp-generated reference
// (message_gen.go): same bytes out, same values in, same refusals, but for
// numbers of another kind than the field's, which only the lean codec reads.

// readRequest decodes b with the lean codec, as decodeRequest does in the
// engine.
func readRequest(req *Request, b []byte) ([]byte, error) {
	r := wire.NewReader(b)
	req.readMsg(r)
	return r.Rest(), r.Err()
}

// responses returns real responses of every shape the bridge produces.
func responses(t testing.TB) []Response {
	t.Helper()
	b := New()
	out := []Response{
		call(t, b, Request{Op: OpLoadCatalogue, Bytes: testCatalogue(t), Consent: "granted"}),
		call(t, b, Request{Op: OpTrack, Item: "go1", Kind: "read", Dwell: 42}),
		call(t, b, Request{Op: OpTrack, Kind: "mute", Topic: "cooking"}),
		call(t, b, Request{Op: OpRecommend, Count: 4}),
		call(t, b, Request{Op: OpRecommend, Related: true, Item: "/p/go2"}),
		call(t, b, Request{Op: OpProfile}),
		call(t, b, Request{Op: OpExport}),
		call(t, b, Request{Op: OpTrack, Item: "nope", Kind: "view"}),
		call(t, b, Request{Op: "nope"}),
		{}, {Recs: []Rec{}}, {View: &View{}}, {Profile: []byte{}},
		{Recs: []Rec{{Reasons: []Reason{{Code: "x", Ref: "y"}, {}}}}},
		{View: &View{Events: []EventView{{Dwell: float32(math.Inf(1))}, {Topic: "t", Index: -3, Time: math.MinInt64}}, Muted: []string{"a", ""}}},
	}
	return out
}

func TestWire_AppendResponse(t *testing.T) {
	for i, resp := range responses(t) {
		want, err := resp.MarshalMsg(nil)
		require.NoError(t, err)
		require.Equal(t, want, resp.appendMsg(nil), "response %d: %+v", i, resp)
	}
}

// FuzzWire_ReadRequest holds the lean request decoder to the generated one:
// for any bytes both succeed or both fail, with the same value and rest.
func FuzzWire_ReadRequest(f *testing.F) {
	for _, r := range []Request{
		{Op: OpTrack, Now: 1, Item: "go1", Kind: "read", Dwell: 12},
		{Op: OpRecommend, Now: math.MaxInt64, Count: 3, Related: true, Item: "/p/go2", Seed: math.MaxUint64},
		{Op: OpImport, Now: -5, Doc: []byte{0x80}, Index: -1},
		{Op: OpVariety, Variety: -0.5, Consent: "granted", Topic: "t", Bytes: []byte{1, 2}},
	} {
		b, err := r.MarshalMsg(nil)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{0x81, 0xa3, 'x', 'y', 'z', 0x92, 0xc0, 0xc3})
	f.Fuzz(func(t *testing.T, b []byte) {
		var ref, lean Request
		refRest, refErr := ref.UnmarshalMsg(b)
		leanRest, leanErr := readRequest(&lean, b)
		if refErr != nil && leanErr == nil {
			// Only the lean codec reads numbers of another kind than the field's.
			require.NoError(t, wiretest.Widened(b, &lean, nil, len(leanRest)), "msgp: %v", refErr)
			return
		}
		require.Equal(t, refErr == nil, leanErr == nil, "msgp: %v, lean: %v", refErr, leanErr)
		if refErr != nil {
			return
		}
		require.True(t, wiretest.Equal(&ref, &lean), "decoded values differ for % x\nmsgp: %#v\nlean: %#v", b, ref, lean) // NaN equals NaN
		require.Equal(t, refRest, leanRest)
	})
}

// FuzzWire_AppendResponse encodes responses built from fuzz input with both
// codecs and wants the same bytes.
func FuzzWire_AppendResponse(f *testing.F) {
	f.Add("code", "msg", []byte{1}, true, "id", "t", "ref", float32(1.5), int64(7), 3)
	f.Add("", "", []byte(nil), false, "", "", "", float32(0), int64(0), 0)
	f.Fuzz(func(t *testing.T, code, msg string, profile []byte, learned bool, id, title, ref string, w float32, at int64, n int) {
		resp := Response{Code: code, Message: msg, Profile: profile, Learned: learned, Doc: []byte(title)}
		if n%2 == 1 {
			resp.Recs = []Rec{{ID: id, URL: ref, Title: title, Reasons: []Reason{{Code: code, Text: msg, Ref: ref}}}}
			resp.Catalogue = &CatalogueInfo{ID: id, Items: n, Consent: ref}
		}
		if n%3 == 0 {
			resp.View = &View{Consent: code, Variety: w, Updated: at,
				Interests: []Interest{{Topic: id, Weight: w}},
				Events:    []EventView{{Index: n, Item: id, Title: title, URL: ref, Kind: msg, Time: at, Dwell: w, Topic: ref}},
				Read:      []ItemRef{{ID: id, Title: title, URL: ref}},
				Muted:     []string{ref}}
		}
		want, err := resp.MarshalMsg(nil)
		require.NoError(t, err)
		require.Equal(t, want, resp.appendMsg(nil))
	})
}
