package catalog

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCatalogue_Validate_published checks that publication times outside
// the years 1900 to 9999 are refused: the engine's freshness arithmetic
// overflowed on such dates (a MinInt64 date gave a NaN score).
func TestCatalogue_Validate_published(t *testing.T) {
	tests := []struct {
		name string
		pub  int64
		want string // substring of the error; "" for valid
	}{
		{"undated (zero)", 0, ""},
		{"1900-01-01", MinPublished, ""},
		{"9999-12-31T23:59:59", MaxPublished, ""},
		{"a second before 1900", MinPublished - 1, `item 2 "i2": pub: -2208988801 out of`},
		{"year 10000", MaxPublished + 1, `item 2 "i2": pub: 253402300800 out of`},
		{"milliseconds", 1_700_000_000_000, "pub: 1700000000000 out of"},
		{"MinInt64", math.MinInt64, "pub: -9223372036854775808 out of"},
		{"MaxInt64", math.MaxInt64, "pub: 9223372036854775807 out of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCatalogue(5)
			c.Items[2].Published = tt.pub
			err := c.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalid)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}
