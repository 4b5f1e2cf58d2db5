package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// The reference: encoding/json, as ExportJSON and ImportJSON used it before
// the hand-written codec. It is compiled only into tests.

func refAppendJSON(x *exportJSON) ([]byte, error) { return json.MarshalIndent(x, "", "  ") }

func refReadJSON(b []byte, x *exportJSON) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(x); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the profile")
	}
	return nil
}

// jsonSeeds are exports and edits of them that exercise what encoding/json
// accepts beyond the plain format: case-folded keys, repeated keys merging
// into the same value, nulls, escapes and surrogates.
func jsonSeeds(tb testing.TB) [][]byte {
	valid, err := fullProfile(tb).ExportJSON(t0.Unix())
	require.NoError(tb, err)
	empty, err := New().ExportJSON(t0.Unix())
	require.NoError(tb, err)
	return [][]byte{
		valid, empty, []byte("null"), []byte(""), []byte(" {} "), []byte(`{"FORMAT":"x","ſettings":{"variety":1e-7}}`),
		[]byte(`{"events":[{"kind":"read","dwell_seconds":1},{"kind":"x"}],"events":[{"item":"a"}],"events":[{},{},{}]}`),
		[]byte(`{"interests":[{"topic":"a"}],"interests":[{"weight":2}],"interests":null,"read":[]}`),
		[]byte(`{"settings":{"consent":"a"},"settings":{"variety":0.5},"settings":null}`),
		[]byte(`{"format":"\u00e9\ud83d\ude00\ud800x\udc00\\\/\b\f\n\r\t\"", "read":["` + "\xff" + `",null,"<&>"]}`),
		[]byte(`{"version":2.0}`), []byte(`{"version":-0}`), []byte(`{"version":1e2}`), []byte(`{"settings":{"variety":1e40}}`),
		[]byte(`{"settings":{"variety":-0.0}}`), []byte(`{"settings":{"variety":01}}`), []byte(`{"read":["a",]}`),
		[]byte(`{"hidden":["a"]} x`), []byte(`{"muted":[1]}`), []byte(`{"Kelvin":1}`), []byte(`{"events":[{"\u212aind":"like"}]}`),
	}
}

// FuzzExportJSON_readJSON: on any input both readers refuse, or both read
// the same value.
func FuzzExportJSON_readJSON(f *testing.F) {
	for _, b := range jsonSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var lean, ref exportJSON
		errLean, errRef := lean.readJSON(b), refReadJSON(b, &ref)
		if errLean != nil && strings.Contains(errLean.Error(), errDigits.Error()) {
			return // parseFloat32's one narrowing, held to strconv by FuzzParseFloat32
		}
		require.Equal(t, errRef == nil, errLean == nil, "reference error %v, lean error %v", errRef, errLean)
		if errLean != nil {
			require.ErrorIs(t, errLean, ErrInvalid)
			return
		}
		require.Equal(t, ref, lean)
	})
}

// FuzzExportJSON_appendJSON: any value is written byte for byte as
// encoding/json writes it, or refused by both (NaN, infinities).
func FuzzExportJSON_appendJSON(f *testing.F) {
	f.Add("hearth-profile", "go\u2028<&>\x00\x7f\xff", uint32(0x3f000000), uint32(0x7fc00000), uint8(7))
	f.Add("", "a", uint32(0x00000001), uint32(0x5f000000), uint8(0))
	f.Add("\xe2\x80", "\"\\\b\f\n\r\t", uint32(0x80000000), uint32(0x358637bd), uint8(255))
	f.Fuzz(func(t *testing.T, s1, s2 string, f1, f2 uint32, n uint8) {
		v1, v2 := math.Float32frombits(f1), math.Float32frombits(f2)
		x := exportJSON{Format: s1, Version: int(n) - 100, Exported: s2, Updated: s1 + s2,
			Settings: settingsJSON{Consent: s2, Variety: v1}}
		if n&1 != 0 {
			x.Interests = []interestJSON{{Topic: s1, Weight: v2}, {Topic: s2, Weight: v1}}
		}
		if n&2 != 0 {
			x.Events = []eventJSON{{Kind: s1, Time: s2}, {Item: s2, Kind: s1, DwellSeconds: v1, Topic: s1, Taught: x.Interests}}
		} else if n&4 != 0 {
			x.Events = []eventJSON{}
		}
		if n&8 != 0 {
			x.Read, x.Hidden = []string{s1, s2}, []string{}
		}
		if n&16 != 0 {
			x.Muted = []string{s2}
		}
		lean, errLean := x.appendJSON(nil)
		ref, errRef := refAppendJSON(&x)
		if errRef != nil {
			require.Error(t, errLean)
			require.Equal(t, errRef.Error(), errLean.Error())
			return
		}
		require.NoError(t, errLean)
		require.Equal(t, string(ref), string(lean))
	})
}

func TestExportJSON_appendJSON(t *testing.T) {
	for _, p := range []*Profile{New(), fullProfile(t)} {
		lean, err := p.ExportJSON(t0.Unix())
		require.NoError(t, err)
		x := exportJSON{}
		require.NoError(t, x.readJSON(lean))
		ref, err := refAppendJSON(&x)
		require.NoError(t, err)
		require.Equal(t, string(ref), string(lean))
	}
}

func TestExportJSON_readJSON(t *testing.T) {
	for _, b := range jsonSeeds(t) {
		var lean, ref exportJSON
		errLean, errRef := lean.readJSON(b), refReadJSON(b, &ref)
		require.Equal(t, errRef == nil, errLean == nil, "%s: reference error %v, lean error %v", b, errRef, errLean)
		if errLean == nil {
			require.Equal(t, ref, lean, "%s", b)
		}
	}
}

// TestFoldKey checks foldKey against the rule encoding/json matches keys
// by (bytes.EqualFold), for every rune against every letter of a field name.
func TestFoldKey(t *testing.T) {
	const letters = "abcdefghijklmnopqrstuvwxyz_"
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		key := utf8.AppendRune(nil, r)
		for i := range len(letters) {
			name := letters[i : i+1]
			if foldKey(key, name) != bytes.EqualFold(key, []byte(name)) {
				t.Fatalf("foldKey(%q, %q) = %v", key, name, foldKey(key, name))
			}
		}
	}
	require.True(t, foldKey([]byte("DWELL_ſECONDS"), "dwell_seconds"))
	require.False(t, foldKey([]byte("dwell_seconds_"), "dwell_seconds"))
	require.False(t, foldKey([]byte("dwell"), "dwell_seconds"))
}

func TestParseInt(t *testing.T) {
	for _, s := range []string{"0", "-0", "7", "-7", "9223372036854775807", "9223372036854775808",
		"-9223372036854775808", "-9223372036854775809", "92233720368547758070", "1.0", "1e2", "-"} {
		t.Run(s, func(t *testing.T) {
			want, err := strconv.ParseInt(s, 10, 64)
			got, ok := parseInt([]byte(s))
			require.Equal(t, err == nil, ok)
			if ok {
				require.Equal(t, int(want), got)
			}
		})
	}
}
