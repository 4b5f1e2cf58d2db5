//go:build !hearthlean

package profile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec (profile_lean_gen.go, migrate_lean_gen.go) against the
// msgp-generated reference (profile_gen.go, migrate_gen.go): same bytes
// out, same values in, same refusals.

func requireSameEncoding(t testing.TB, p *Profile) {
	ref, err := p.MarshalMsg(nil)
	require.NoError(t, err)
	require.Equal(t, ref, p.appendMsg(nil), "lean encoding differs from msgp")
}

// requireSameDecoding requires both decoders to refuse b, or both to accept
// it with identical values and the same bytes left over, for the current
// layout and for version 1.
func requireSameDecoding(t testing.TB, b []byte) {
	if !wiretest.MsgpSafe(b) {
		// msgp would trust a header claiming billions of elements and
		// exhaust memory before failing; the lean codec must refuse it.
		var lean Profile
		if _, err := unmarshalLean(&lean, b); err != nil {
			return
		}
	}
	var lean, ref Profile
	leanRest, leanErr := unmarshalLean(&lean, b)
	refRest, refErr := ref.UnmarshalMsg(b)
	requireAgree(t, b, &ref, &lean, refRest, leanRest, refErr, leanErr)

	var leanV1, refV1 profileV1
	leanRest, leanErr = unmarshalLeanV1(&leanV1, b)
	if leanErr != nil && !wiretest.MsgpSafe(b) {
		return
	}
	refRest, refErr = refV1.UnmarshalMsg(b)
	requireAgree(t, b, &refV1, &leanV1, refRest, leanRest, refErr, leanErr)
}

func requireAgree(t testing.TB, b []byte, ref, lean any, refRest, leanRest []byte, refErr, leanErr error) {
	if refErr != nil && leanErr == nil {
		// Only the lean codec reads numbers of another kind than the field's.
		require.NoError(t, wiretest.Widened(b, lean, nil, len(leanRest)), "msgp refuses % x: %v", b, refErr)
		return
	}
	if refErr != nil {
		return
	}
	require.NoError(t, leanErr, "msgp accepts % x", b)
	require.True(t, wiretest.Equal(ref, lean), "decoded values differ for % x\nmsgp: %#v\nlean: %#v", b, ref, lean)
	require.Equal(t, len(refRest), len(leanRest), "bytes left over")
}

func randomProfile(seed uint64, size int) *Profile {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	p := new(Profile)
	wiretest.Fill(p, data)
	return p
}

// v1Bytes encodes a version-1 profile with a single interest, so the bytes
// do not depend on map iteration order.
func v1Bytes(t testing.TB) []byte {
	old := &profileV1{Version: 1, Consent: true, Interests: map[string]float32{"go": 0.5},
		Events: []eventV1{{Item: "a", Kind: 2, Time: 1_700_000_000}}, ReadItems: []string{"a"},
		Hidden: []string{"b"}, Updated: 1_700_000_100}
	b, err := old.MarshalMsg(nil)
	require.NoError(t, err)
	return b
}

func TestProfile_appendMsg(t *testing.T) {
	tests := []struct {
		name string
		p    *Profile
	}{
		{"zero", &Profile{}},
		{"new", New()},
		{"omitted and kept fields", &Profile{Version: FormatVersion, Events: []Event{
			{Item: "a", Kind: Read, Time: 1, Dwell: 30},
			{Item: "b", Kind: Mute, Time: 2, Topic: "go"},
			{Item: "c", Kind: View, Time: 3, Credit: []Interest{}},
			{Item: "d", Kind: Like, Time: 4, Credit: []Interest{{Topic: "go", Weight: 0.5}}},
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireSameEncoding(t, tt.p)
			requireSameDecoding(t, tt.p.appendMsg(nil))
		})
	}
	t.Run("random", func(t *testing.T) {
		for seed := range uint64(300) {
			p := randomProfile(seed, 4096)
			requireSameEncoding(t, p)
			b := p.appendMsg(nil)
			require.GreaterOrEqual(t, p.sizeHint(), len(b), "sizeHint is an upper bound")
			requireSameDecoding(t, b)
			for _, n := range []int{1, len(b) / 2, len(b) - 1} {
				requireSameDecoding(t, b[:n])
			}
		}
	})
}

func TestProfile_readMsg(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"empty map", []byte{0x80}, true},
		{"unknown keys skipped", []byte{0x82, 0xa1, 'x', 0x92, 0x80, 0xc0, 0xa1, 'v', 0x02}, true},
		{"kind over uint8", []byte{0x81, 0xa6, 'e', 'v', 'e', 'n', 't', 's', 0x91, 0x81, 0xa1, 'k', 0xcd, 0x01, 0x00}, false},
		{"negative kind", []byte{0x81, 0xa6, 'e', 'v', 'e', 'n', 't', 's', 0x91, 0x81, 0xa1, 'k', 0xff}, false},
		{"interest not a pair", []byte{0x81, 0xa9, 'i', 'n', 't', 'e', 'r', 'e', 's', 't', 's', 0x91, 0x91, 0xa1, 'x'}, false},
		{"interest of three", []byte{0x81, 0xa9, 'i', 'n', 't', 'e', 'r', 'e', 's', 't', 's', 0x91, 0x93, 0xa1, 'x', 0xca, 0x3f, 0x80, 0, 0, 0x01}, false},
		{"nil events", []byte{0x81, 0xa6, 'e', 'v', 'e', 'n', 't', 's', 0xc0}, false},
		{"duplicate events keep reused fields", []byte{0x82,
			0xa6, 'e', 'v', 'e', 'n', 't', 's', 0x91, 0x82, 0xa1, 'i', 0xa1, 'a', 0xa1, 'd', 0xca, 0x3f, 0x80, 0, 0,
			0xa6, 'e', 'v', 'e', 'n', 't', 's', 0x91, 0x81, 0xa1, 'i', 0xa1, 'b'}, true},
		{"truncated", []byte{0x81, 0xa1, 'v'}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p Profile
			_, err := unmarshalLean(&p, tt.in)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			requireSameDecoding(t, tt.in)
		})
	}
	t.Run("v1", func(t *testing.T) {
		var old profileV1
		_, err := unmarshalLeanV1(&old, v1Bytes(t))
		require.NoError(t, err)
		require.Equal(t, map[string]float32{"go": 0.5}, old.Interests)
		requireSameDecoding(t, v1Bytes(t))
	})
}

func TestProfile_readMsgVariants(t *testing.T) {
	// Every field set, so every field's decoder meets every variant.
	p := &Profile{Version: FormatVersion, Settings: Settings{Consent: ConsentGranted, Variety: 0.5},
		Interests: []Interest{{Topic: "go", Weight: 0.5}}, ReadItems: []string{"a"}, Hidden: []string{"b"},
		Muted: []string{"m"}, Updated: 1_700_000_000,
		Events: []Event{{Item: "a", Kind: Read, Time: 1_700_000_000, Dwell: 30, Topic: "t", Credit: []Interest{{Topic: "go", Weight: 0.25}}}}}
	docs := [][]byte{p.appendMsg(nil), v1Bytes(t)}
	for _, doc := range docs {
		variants := wiretest.Variants(doc)
		require.Greater(t, len(variants), 300)
		for _, b := range variants {
			requireSameDecoding(t, b)
		}
	}
}

func FuzzProfile_appendMsg(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0x40, 0x01, 0x02, 0x03, 0xf9, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Profile
		wiretest.Fill(&p, data)
		requireSameEncoding(t, &p)
		requireSameDecoding(t, p.appendMsg(nil))
	})
}

func FuzzProfile_readMsg(f *testing.F) {
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		requireSameDecoding(t, b)
	})
}

// TestProfile_writeWireCorpus refreshes the seed corpora of the fuzz targets
// above: HEARTH_UPDATE_GOLDEN=1 go test.
func TestProfile_writeWireCorpus(t *testing.T) {
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "" {
		t.Skip("set HEARTH_UPDATE_GOLDEN=1 to rewrite testdata/fuzz")
	}
	for i, seed := range []uint64{1, 2, 3} {
		wiretest.WriteSeed(t, "FuzzProfile_readMsg", fmt.Sprintf("random-%d", i), randomProfile(seed, 512).appendMsg(nil))
	}
	wiretest.WriteSeed(t, "FuzzProfile_readMsg", "bench-20", benchProfile(20).appendMsg(nil))
	wiretest.WriteSeed(t, "FuzzProfile_readMsg", "v1", v1Bytes(t))
	for i := range 3 {
		data := make([]byte, 256)
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		wiretest.WriteSeed(t, "FuzzProfile_appendMsg", fmt.Sprintf("random-%d", i), data)
	}
}

// benchProfile returns a profile with n events and what they taught.
func benchProfile(n int) *Profile {
	p := New()
	p.Settings.Consent = ConsentGranted
	for i := range 40 {
		p.Interests = append(p.Interests, Interest{Topic: "topic-" + strconv.Itoa(100+i), Weight: 0.1})
	}
	for i := range n {
		id := "item-" + strconv.Itoa(i)
		p.Events = append(p.Events, Event{Item: id, Kind: Read, Time: 1_700_000_000 + int64(i)*60, Dwell: 42,
			Credit: []Interest{{Topic: "topic-101", Weight: 0.3}, {Topic: "topic-102", Weight: 0.2}}})
		p.ReadItems = append(p.ReadItems, id)
	}
	p.Updated = 1_700_000_000 + int64(n)*60
	return p
}

func BenchmarkProfile_decode(b *testing.B) {
	enc := benchProfile(1000).appendMsg(nil)
	b.Run("lean", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		b.ReportAllocs()
		for b.Loop() {
			var p Profile
			if _, err := unmarshalLean(&p, enc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("msgp", func(b *testing.B) {
		b.SetBytes(int64(len(enc)))
		b.ReportAllocs()
		for b.Loop() {
			var p Profile
			if _, err := p.UnmarshalMsg(enc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkProfile_encode(b *testing.B) {
	p := benchProfile(1000)
	b.Run("lean", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			marshalLean(p, nil)
		}
	})
	b.Run("msgp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.MarshalMsg(nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
