package profile

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/wire"
	"github.com/stretchr/testify/require"
)

// docOf encodes a JSON text as the Worker's document.
func docOf(t testing.TB, text string) []byte {
	doc, err := JSONDoc([]byte(text))
	require.NoError(t, err)
	return doc
}

// TestImport_RoundTrip: import(export(p)) stores the same bytes as p, as
// a document (the browser's path) and as JSON text (the native one).
func TestImport_RoundTrip(t *testing.T) {
	for _, path := range []struct {
		name    string
		export  func(*Profile) ([]byte, error)
		importF func([]byte) (*Profile, error)
	}{
		{"doc", func(p *Profile) ([]byte, error) { return p.ExportDoc(t0.Unix()) }, ImportDoc},
		{"json", func(p *Profile) ([]byte, error) { return p.ExportJSON(t0.Unix()) }, ImportJSON},
	} {
		for _, p := range []*Profile{New(), fullProfile(t)} {
			b, err := path.export(p)
			require.NoError(t, err)
			got, err := path.importF(b)
			require.NoError(t, err)
			want, err := p.Encode()
			require.NoError(t, err)
			have, err := got.Encode()
			require.NoError(t, err)
			require.Equal(t, want, have, "%s: import(export(p)) stores the same bytes as p", path.name)
		}
	}
}

// TestImportDoc_Refuses covers what only a document can hold (a file's
// refusals are in TestImportJSON_Refuses): MessagePack that JSON has no
// value for, broken MessagePack, and the limits checked before allocating.
func TestImportDoc_Refuses(t *testing.T) {
	valid, err := fullProfile(t).ExportDoc(t0.Unix())
	require.NoError(t, err)
	objects := func(key string, n int) string {
		return `{"` + key + `": [` + strings.Repeat(`{},`, n-1) + `{}]}`
	}
	// MaxList events of MaxCredit/2 taught interests each: within every
	// list's limit, over the document's objects.
	manyTaught := `{"events": [` + strings.Repeat(`{"time": "2026-03-01T12:00:00Z", "taught": [`+strings.Repeat(`{},`, MaxCredit/2-1)+`{}]},`, MaxList-1) + `{}]}`
	tests := []struct {
		name    string
		in      []byte
		wantErr error
		want    string
	}{
		{"empty", nil, ErrInvalid, "not a MessagePack document"},
		{"truncated", valid[:len(valid)/2], ErrInvalid, "not a MessagePack document"},
		{"trailing data", append(append([]byte{}, valid...), 0xc0), ErrInvalid, "data after the profile"},
		{"bin for a string", wire.AppendBytes(wire.AppendString(wire.AppendMapHeader(nil, 1), "format"), []byte("x")), ErrInvalid, "format: want a string, not not a JSON value"},
		{"too many taught", docOf(t, `{"events": [{"taught": [`+strings.Repeat(`{},`, MaxCredit)+`{}]}]}`), ErrTooLarge, "events[0].taught: 65 entries, limit 64"},
		{"too many read", docOf(t, `{"read": [`+strings.Repeat(`"a",`, MaxList)+`"a"]}`), ErrTooLarge, "read: 10001 entries, limit 10000"},
		{"too many interests", docOf(t, objects("interests", MaxList+1)), ErrTooLarge, "interests: 10001 entries"},
		{"too many objects", docOf(t, manyTaught), ErrTooLarge, "objects in the document"},
		{"too large", make([]byte, MaxDocBytes+1), ErrTooLarge, "bytes, limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ImportDoc(tt.in)
			require.ErrorIs(t, err, tt.wantErr)
			require.Nil(t, p)
			require.Contains(t, err.Error(), tt.want)
			require.True(t, strings.HasPrefix(err.Error(), "import profile: "), err.Error())
		})
	}
}

func TestImportDoc_Nulls(t *testing.T) {
	text := strings.Replace(string(must(fullProfile(t).ExportJSON(t0.Unix()))), `"muted": [
    "cooking"
  ]`, `"muted": null`, 1)
	require.Contains(t, text, `"muted": null`)
	p, err := ImportDoc(docOf(t, text))
	require.NoError(t, err)
	require.Nil(t, p.Muted)
	require.Equal(t, []string{"f"}, p.Hidden)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestDocFloat checks that the export's float64 for a float32 reads back as
// it and, within ±22 decimal places, prints as its shortest float32 digits.
func TestDocFloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fs := []float32{0, 1, -1, 0.1, 0.5, 42.5, 1.0 / 3, 1e-7, 1e21, 123456.79, math.MaxFloat32, math.SmallestNonzeroFloat32, 16777217}
	for range 200000 {
		fs = append(fs, math.Float32frombits(rng.Uint32()))
	}
	for _, f := range fs {
		checkDocFloat(t, f)
	}
}

func checkDocFloat(t *testing.T, f float32) {
	if f != f || math.IsInf(float64(f), 0) {
		return
	}
	v := docFloat(f)
	require.Equal(t, math.Float32bits(f+0), math.Float32bits(float32(v)+0), "%v", f)
	short := strconv.FormatFloat(float64(f), 'e', -1, 32)
	exp := must(strconv.Atoi(short[strings.IndexByte(short, 'e')+1:]))
	digits := len(strings.TrimLeft(strings.Replace(short[:strings.IndexByte(short, 'e')], ".", "", 1), "-"))
	if e := exp - (digits - 1); e >= -22 && e <= 22 {
		require.Equal(t, strconv.FormatFloat(float64(f), 'g', -1, 32), strconv.FormatFloat(v, 'g', -1, 64), "%v", f)
	}
}

func FuzzDocFloat(f *testing.F) {
	f.Add(uint32(0x3dcccccd))
	f.Fuzz(func(t *testing.T, bits uint32) { checkDocFloat(t, math.Float32frombits(bits)) })
}

// FuzzImportDoc reads any bytes as a document: a refusal leaves no
// profile; what is accepted validates and exports to a document that
// imports to the same profile.
func FuzzImportDoc(f *testing.F) {
	valid, err := fullProfile(f).ExportDoc(t0.Unix())
	require.NoError(f, err)
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		reimports(t, b, ImportDoc, func(p *Profile) ([]byte, error) { return p.ExportDoc(t0.Unix()) })
	})
}

// reimports checks one fuzz input of an import: it is refused with no
// profile, or gives a valid profile whose export imports as the same.
func reimports(t *testing.T, b []byte, importF func([]byte) (*Profile, error), export func(*Profile) ([]byte, error)) {
	p, err := importF(b)
	if err != nil {
		require.Nil(t, p)
		return
	}
	require.NoError(t, p.Validate())
	out, err := export(p)
	require.NoError(t, err)
	again, err := importF(out)
	require.NoError(t, err)
	x, err := p.Encode()
	require.NoError(t, err)
	y, err := again.Encode()
	require.NoError(t, err)
	require.Equal(t, x, y)
}
