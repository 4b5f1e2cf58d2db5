package sample

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire"
	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

// The lean codec leangen wrote (sample_lean_gen.go) against the one msgp
// wrote (sample_gen.go) from the same declarations: same bytes out, same
// values in, also into used values, same refusals, but for numbers of
// another kind than the field's, which only the lean codec reads.

// msg is a type both codecs encode.
type msg interface {
	MarshalMsg([]byte) ([]byte, error)
	UnmarshalMsg([]byte) ([]byte, error)
	appendMsg([]byte) []byte
	readMsg(*wire.Reader)
	sizeHint() int
}

// kinds make a value of each type.
var kinds = map[string]func() msg{
	"All":   func() msg { return new(All) },
	"Wide":  func() msg { return new(Wide) },
	"Fixed": func() msg { return new(Fixed) },
	"Empty": func() msg { return new(Empty) },
	"Opt":   func() msg { return new(Opt) },
}

// fill fills v from data, with at most one entry in each map: msgp and
// leangen both encode maps in Go's random order, so only a map of one
// entry has one encoding. The same data always gives the same value.
func fill(v msg, data []byte) {
	wiretest.Fill(v, data)
	trimMaps(reflect.ValueOf(v).Elem())
}

func trimMaps(v reflect.Value) {
	switch v.Kind() {
	case reflect.Map:
		keys := v.MapKeys() // strings: keep the first in order, the same in every copy
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys[min(1, len(keys)):] {
			v.SetMapIndex(k, reflect.Value{})
		}
	case reflect.Pointer:
		if !v.IsNil() {
			trimMaps(v.Elem())
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() != reflect.Uint8 {
			for i := range v.Len() {
				trimMaps(v.Index(i))
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				trimMaps(v.Field(i))
			}
		}
	}
}

func requireSameEncoding(t testing.TB, v msg) []byte {
	ref, err := v.MarshalMsg(nil)
	require.NoError(t, err)
	lean := v.appendMsg(nil)
	require.Equal(t, ref, lean, "lean encoding differs from msgp for %#v", v)
	require.GreaterOrEqual(t, v.sizeHint(), len(lean), "sizeHint is an upper bound")
	return lean
}

// requireSameDecoding decodes b with both codecs into values of kind
// filled from used (an empty used: zero values), and requires both to
// refuse b or to agree on the values and the bytes left over.
func requireSameDecoding(t testing.TB, kind string, used, b []byte) {
	lean, ref := kinds[kind](), kinds[kind]()
	if len(used) > 0 {
		fill(lean, used)
		fill(ref, used)
	}
	r := wire.NewReader(b)
	lean.readMsg(r)
	if r.Err() != nil && !wiretest.MsgpSafe(b) {
		return // msgp would allocate what a hostile header claims
	}
	rest, err := ref.UnmarshalMsg(b)
	if err != nil && r.Err() == nil {
		// Only the lean codec reads numbers of another kind than the
		// field's: msgp must read them in their fields' kinds.
		fresh := kinds[kind]()
		if len(used) > 0 {
			fill(fresh, used)
		}
		require.NoError(t, wiretest.Widened(b, lean, fresh, len(r.Rest())), "msgp refuses % x: %v", b, err)
		return
	}
	if err != nil {
		return
	}
	require.NoError(t, r.Err(), "msgp accepts % x", b)
	require.True(t, wiretest.Equal(ref, lean), "decoded values differ for % x\nmsgp: %#v\nlean: %#v", b, ref, lean)
	require.Equal(t, len(rest), len(r.Rest()), "bytes left over")
}

func random(seed uint64, n int) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestSample_appendMsg(t *testing.T) {
	for kind, make := range kinds {
		t.Run(kind, func(t *testing.T) {
			requireSameEncoding(t, make())
			for seed := range uint64(200) {
				v := make()
				fill(v, random(seed, 2048))
				b := requireSameEncoding(t, v)
				requireSameDecoding(t, kind, nil, b)
				requireSameDecoding(t, kind, random(seed+1000, 2048), b)
				for _, n := range []int{1, len(b) / 2, len(b) - 1} {
					requireSameDecoding(t, kind, nil, b[:n])
				}
			}
		})
	}
}

func TestSample_readMsgVariants(t *testing.T) {
	// A value with every field set, written in every other way.
	for seed := uint64(0); ; seed++ {
		var v All
		fill(&v, random(seed, 4096))
		if v.P == nil || v.P.P == nil || len(v.Ps) == 0 || v.Ps[0] == nil || len(v.M) == 0 || len(v.Pairs) == 0 || len(v.Opt.M) == 0 {
			continue
		}
		variants := wiretest.Variants(requireSameEncoding(t, &v))
		require.Greater(t, len(variants), 1000)
		for i, b := range variants {
			requireSameDecoding(t, "All", nil, b)
			if i%10 == 0 {
				requireSameDecoding(t, "All", random(seed, 1024), b)
			}
		}
		return
	}
}

func FuzzSample_appendMsg(f *testing.F) {
	f.Add(byte(0), []byte{})
	f.Add(byte(1), random(1, 512))
	f.Fuzz(func(t *testing.T, k byte, data []byte) {
		names := []string{"All", "Wide", "Fixed", "Empty", "Opt"}
		kind := names[int(k)%len(names)]
		v := kinds[kind]()
		fill(v, data)
		requireSameDecoding(t, kind, nil, requireSameEncoding(t, v))
	})
}

func FuzzSample_readMsg(f *testing.F) {
	var v All
	fill(&v, random(2, 1024))
	f.Add(byte(0), []byte{}, v.appendMsg(nil))
	f.Add(byte(1), random(3, 64), []byte{0x81, 0xa1, 'p', 0xc0})
	f.Fuzz(func(t *testing.T, k byte, used, b []byte) {
		names := []string{"All", "Wide", "Fixed", "Empty", "Opt"}
		requireSameDecoding(t, names[int(k)%len(names)], used, b)
	})
}
