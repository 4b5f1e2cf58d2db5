package profile

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rfc3339Seeds cross every boundary time.Parse(time.RFC3339, ...) has: its
// strict fast path and its general layout parser (one-digit hours, commas,
// offsets up to 24:60), leap days, ranges and trailing bytes.
var rfc3339Seeds = []string{
	"2006-01-02T15:04:05Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
	"2024-02-29T12:00:00Z", "2023-02-29T12:00:00Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
	"2006-04-31T00:00:00Z", "2006-13-01T00:00:00Z", "2006-00-01T00:00:00Z", "2006-01-00T00:00:00Z",
	"2006-01-02T24:00:00Z", "2006-01-02T23:60:00Z", "2006-01-02T23:59:60Z", "2006-01-02T5:04:05Z",
	"2006-01-02T05:04:05.999999999999Z", "2006-01-02T05:04:05,5Z", "2006-01-02T05:04:05.Z",
	"1970-01-01T00:00:00.5-00:01", "2006-01-02T15:04:05+07:00", "2006-01-02T15:04:05-24:60",
	"2006-01-02T15:04:05+25:00", "2006-01-02T15:04:05+07:61", "2006-01-02T15:04:05+0700",
	"2006-01-02t15:04:05Z", "2006-01-02T15:04:05z", "2006-01-02T15:04:05", "2006-01-02T15:04:05ZZ",
	"0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+006-01-02T15:04:05Z", "2006-1-02T15:04:05Z",
	"2006-01-02T15:4:05Z", "2006-01-02T1:04:05+07:00", "2006-01-02 15:04:05Z", "",
	"1970-01-01T00:00:00+00:00", "2006-01-02T15:04:05.1+07:00", "2006-01-02T-1:04:05Z",
}

// FuzzParseRFC3339 requires parseRFC3339 to accept exactly what
// time.Parse(time.RFC3339, s) accepts, with the same Unix time.
func FuzzParseRFC3339(f *testing.F) {
	for _, s := range rfc3339Seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseRFC3339(s)
		want, err := time.Parse(time.RFC3339, s)
		require.Equal(t, err == nil, ok, "time.Parse error: %v", err)
		if ok {
			require.Equal(t, want.Unix(), got)
		}
	})
}

// FuzzAppendRFC3339 requires appendRFC3339 to write every Unix time as
// time.Unix(sec, 0).UTC().Format(time.RFC3339) does, years outside 0..9999
// included.
func FuzzAppendRFC3339(f *testing.F) {
	for _, sec := range []int64{0, -1, 1136214245, 253402300799, 253402300800, -62135596800,
		-62167219200, -62167219201, -99999999999, 1 << 40, -1 << 40, math.MaxInt64, math.MinInt64} {
		f.Add(sec)
	}
	f.Fuzz(func(t *testing.T, sec int64) {
		want := time.Unix(sec, 0).UTC().Format(time.RFC3339)
		require.Equal(t, want, string(appendRFC3339(nil, sec)))
		if got, ok := parseRFC3339(want); ok {
			require.Equal(t, sec, got, "a time written must read back")
		}
	})
}

func TestParseRFC3339(t *testing.T) {
	got, ok := parseRFC3339("2006-01-02T15:04:05+07:00")
	require.True(t, ok)
	require.Equal(t, int64(1136189045), got)
	_, ok = parseRFC3339("2006-02-29T00:00:00Z")
	require.False(t, ok, "2006 is no leap year")
}
