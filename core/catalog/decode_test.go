package catalog

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

func TestDecode_RoundTrip(t *testing.T) {
	c := testCatalogue(20)
	c.Gram, c.Lambda = make([]float32, 16), 0.1
	c.Policy.SectionCaps = []SectionCap{{Section: "news", Max: 2}}
	b, err := c.Encode()
	require.NoError(t, err)
	got, err := Decode(b)
	require.NoError(t, err)
	require.NoError(t, c.Validate())
	require.Equal(t, c, got)
	i, ok := got.Find("i7")
	require.True(t, ok)
	require.Equal(t, 7, i)
}

func TestDecodeLimits(t *testing.T) {
	encode := func(c *Catalogue) []byte {
		b, err := c.Encode()
		require.NoError(t, err)
		return b
	}
	valid := encode(testCatalogue(10))
	tests := []struct {
		name    string
		in      []byte
		lim     Limits
		wantErr error
		want    string
	}{
		{"valid", valid, Limits{}, nil, ""},
		{"too many bytes", valid, Limits{MaxBytes: 100}, ErrTooLarge, "limit 100"},
		{"too many items", valid, Limits{MaxItems: 9}, ErrTooLarge, "10 items, limit 9"},
		{"memory budget", valid, Limits{MaxMemory: 1000}, ErrTooLarge, "budget"},
		{"dim over limit", valid, Limits{MaxDim: 3}, ErrTooLarge, "dim 4, limit 3"},
		{"string over limit", valid, Limits{MaxString: 6}, ErrTooLarge, `item 0 "i0": url is 23 bytes, limit 6`},
		{"too many topics per item", encode(func() *Catalogue {
			c := testCatalogue(2)
			c.Items[1].Topics = []TopicWeight{{0, 1}, {1, 1}, {2, 1}}
			return c
		}()), Limits{MaxTopicsPerItem: 2}, ErrTooLarge, "3 topics, limit 2"},
		{"too many terms", encode(func() *Catalogue {
			c := testCatalogue(2)
			c.Items[0].Terms = []string{"a", "b", "c"}
			return c
		}()), Limits{MaxTermsPerItem: 2}, ErrTooLarge, "3 terms, limit 2"},
		{"vocabulary too large", valid, Limits{MaxTopics: 2}, ErrTooLarge, "3 topics in the vocabulary"},
		{"policy list too long", encode(func() *Catalogue {
			c := testCatalogue(2)
			c.Policy.Excluded = []string{"a", "b", "c"}
			return c
		}()), Limits{MaxPolicyList: 2}, ErrTooLarge, "excluded has 3 entries"},
		{"truncated", valid[:len(valid)-3], Limits{}, ErrCorrupt, ""},
		{"trailing bytes", append(bytes.Clone(valid), 0xc0), Limits{}, ErrCorrupt, "trailing"},
		{"not a map", []byte{0x93, 1, 2, 3}, Limits{}, ErrCorrupt, ""},
		{"empty", nil, Limits{}, ErrCorrupt, ""},
		{"hostile items header", hostileItems(), Limits{}, ErrCorrupt, ""},
		{"wrong version", encode(func() *Catalogue { c := testCatalogue(1); c.Version = 9; return c }()), Limits{}, ErrVersion, "9"},
		{"invalid item", encode(func() *Catalogue { c := testCatalogue(3); c.Items[2].URL = "javascript:x"; return c }()), Limits{}, ErrInvalid, `item 2 "i2": url`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeLimits(tt.in, tt.lim)
			if tt.wantErr == nil {
				require.NoError(t, err)
				require.Len(t, c.Items, 10)
				return
			}
			require.ErrorIs(t, err, tt.wantErr)
			require.Nil(t, c)
			require.Contains(t, err.Error(), tt.want)
			require.True(t, strings.HasPrefix(err.Error(), "decode catalogue: "), err.Error())
		})
	}
}

// hostileItems is a catalogue whose id column claims 2³²−1 items in a few
// bytes: a trusting decoder would try to allocate them all.
func hostileItems() []byte {
	b := []byte{0x82, 0xa1, 'v', 0x02, 0xa5, 'i', 't', 'e', 'm', 's', 0x81, 0xa2, 'i', 'd', 0xdd}
	return binary.BigEndian.AppendUint32(b, 0xffffffff)
}

func TestDecodeOwned(t *testing.T) {
	c := testCatalogue(3)
	c.Dim = 2
	for i := range c.Items {
		c.Items[i].Vector, c.Items[i].Scale = []byte{byte(i + 1), 2}, 0.5
	}
	b, err := c.Encode()
	require.NoError(t, err)
	want, err := Decode(b)
	require.NoError(t, err)
	got, err := DecodeOwned(append([]byte(nil), b...))
	require.NoError(t, err)
	require.Equal(t, want, got)
	_, err = DecodeOwned(b[:len(b)-1])
	require.ErrorIs(t, err, ErrCorrupt)
}

func FuzzDecode(f *testing.F) {
	for _, n := range []int{0, 1, 3} {
		b, err := testCatalogue(n).Encode()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add(hostileItems())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Decode(b)
		if err != nil {
			require.Nil(t, c)
			return
		}
		// Whatever decodes must be valid and survive a round trip.
		require.NoError(t, c.Validate())
		again, err := c.Encode()
		require.NoError(t, err)
		c2, err := Decode(again)
		require.NoError(t, err)
		require.Equal(t, c, c2)
	})
}

func BenchmarkDecode(b *testing.B) {
	c := testCatalogue(10_000)
	c.Dim = 64
	for i := range c.Items {
		it := &c.Items[i]
		it.Vector = make([]byte, 64)
		for k := range it.Vector {
			it.Vector[k] = byte(i*31 + k*7)
		}
		it.Summary = strings.Repeat("A summary sentence. ", 8)
		it.Terms = []string{"alpha", "beta", "gamma", "delta", "epsilon"}
	}
	data, err := c.Encode()
	require.NoError(b, err)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDecode_WriteCorpus refreshes the fuzz seed corpus under testdata/
// when HEARTH_UPDATE_GOLDEN=1; the seeds then run with every go test.
func TestDecode_WriteCorpus(t *testing.T) {
	if os.Getenv("HEARTH_UPDATE_GOLDEN") != "1" {
		t.Skip("set HEARTH_UPDATE_GOLDEN=1 to rewrite testdata/fuzz/FuzzDecode")
	}
	seeds := map[string][]byte{"hostile-items-header": hostileItems()}
	for _, n := range []int{1, 4} {
		c := testCatalogue(n)
		c.Gram, c.Lambda = make([]float32, 16), 0.5
		b, err := c.Encode()
		require.NoError(t, err)
		seeds[fmt.Sprintf("valid-%d-items", n)] = b
		seeds[fmt.Sprintf("truncated-%d-items", n)] = b[:len(b)/2]
	}
	for name, b := range seeds {
		wiretest.WriteSeed(t, "FuzzDecode", name, b)
	}
}
