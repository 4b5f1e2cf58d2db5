package profile

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// checkParseFloat32 requires parseFloat32 to read s, a JSON number, as
// strconv.ParseFloat(s, 32) does: the same float32 bits, errRange where it
// reports ErrRange, and errDigits only for more than 19 significant digits.
func checkParseFloat32(t *testing.T, s string) {
	t.Helper()
	got, err := parseFloat32([]byte(s))
	want, errRef := strconv.ParseFloat(s, 32)
	if errors.Is(err, errDigits) {
		digits := strings.TrimLeft(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, strings.FieldsFunc(s, func(r rune) bool { return r == 'e' || r == 'E' })[0]), "0")
		require.Greater(t, len(digits), 19, "%s refused", s)
		return
	}
	if errors.Is(errRef, strconv.ErrRange) && math.IsInf(want, 0) {
		require.ErrorIs(t, err, errRange, s)
		return
	}
	require.NoError(t, errRef, s)
	require.NoError(t, err, s)
	require.Equal(t, math.Float32bits(float32(want)), math.Float32bits(got), "%s: got %v, want %v", s, got, want)
}

// halfway returns the point halfway between f (> 0, finite) and the next
// float32 up, exact in float64.
func halfway(f float32) float64 {
	next := math.Nextafter32(f, float32(math.Inf(1)))
	if math.IsInf(float64(next), 1) {
		return math.MaxFloat32 + 0x1p103
	}
	return (float64(f) + float64(next)) / 2
}

func TestParseFloat32(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "0.0", "-0.000e-99", "1", "-1", "0.5", "0.1", "0.2", "0.3", "1e-7", "1.5e-7",
		"123456789", "16777216", "16777217", "16777218", "16777219", "33554433", "33554435", "0.12345679",
		"3.4028235e38", "3.4028235e+38", "3.40282356e38", "3.4028236e38", "340282356779733661637539395458142568447",
		"340282356779733661637539395458142568448", "340282356779733661637539395458142568449", "1e38", "1e39", "-1e39",
		"1.4e-45", "1.401298464324817e-45", "7.006492321624085e-46", "7.006492321624086e-46", "7.0064923216240861e-46",
		"7e-46", "1e-46", "9.99e-47", "1.1754942e-38", "1.17549435e-38", "1e-45", "2e-45", "3e-45",
		"1.000000059604644775390625", "1.00000005960464477539062", "1.00000005960464477539063",
		"1.0000000596046447753906250000000000001", "1.00000005960464477539062499999999999",
		"9999999999999999999", "99999999999999999999", "12345678901234567890123", "0.000000000000000000000000000001",
		"1e22", "1e23", "1e-22", "1e-23", "4.5e15", "1e100000000000000", "1e-100000000000000", "0e100000000",
		"1.00000000000000000000000000000000000000000000000000000000000000000000001",
	} {
		t.Run(s, func(t *testing.T) { checkParseFloat32(t, s) })
	}
	// Every halfway point with a short decimal form, and the digits around
	// a few thousand others.
	for bits := uint32(0); bits < 0x7f800000; bits += 0x7f800000/4093 + 1 {
		mid := halfway(math.Float32frombits(bits))
		for _, s := range halfwayStrings(mid) {
			checkParseFloat32(t, s)
		}
	}
}

// halfwayStrings returns decimal forms at and around mid: its exact
// digits, its first 19 digits and their neighbours, and the shortest form
// of the float32s on each side.
func halfwayStrings(mid float64) []string {
	out := []string{strconv.FormatFloat(mid, 'e', -1, 64), strconv.FormatFloat(mid, 'e', 120, 64),
		strconv.FormatFloat(mid, 'f', -1, 64)}
	d19 := strconv.FormatFloat(mid, 'e', 18, 64)
	mant, exp, _ := strings.Cut(d19, "e")
	m, _ := strconv.ParseUint(strings.Replace(mant, ".", "", 1), 10, 64)
	for _, v := range []uint64{m - 1, m, m + 1} {
		out = append(out, strconv.FormatUint(v, 10)+"e"+strconv.Itoa(mustAtoi(exp)-18))
	}
	if f := float32(mid); !math.IsInf(float64(f), 0) {
		out = append(out, strconv.FormatFloat(float64(f), 'e', -1, 32))
	}
	return out
}

func mustAtoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// FuzzParseFloat32 holds parseFloat32 to strconv.ParseFloat on any JSON
// number, and on the digits at and around halfway points, where rounding
// is hardest.
func FuzzParseFloat32(f *testing.F) {
	f.Add("0.5", uint32(0x3f000000))
	f.Add("-1.17549435e-38", uint32(1))
	f.Add("340282356779733661637539395458142568448", uint32(0x7f7fffff))
	f.Add("1.00000005960464477539062500001", uint32(0x4b800000))
	f.Fuzz(func(t *testing.T, s string, bits uint32) {
		r := &jsonReader{b: []byte(s)}
		if num, err := r.number(); err == nil && len(num) == len(s) {
			checkParseFloat32(t, s)
		}
		if v := math.Float32frombits(bits &^ (1 << 31)); !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
			for _, s := range halfwayStrings(halfway(v)) {
				checkParseFloat32(t, s)
				checkParseFloat32(t, "-"+s)
			}
		}
	})
}
