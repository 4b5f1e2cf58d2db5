package profile

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/wire"
	"github.com/stretchr/testify/require"
)

// refExport is the export as the file format declares it, for
// encoding/json: ExportJSON must write what json.MarshalIndent(x, "", "  ")
// writes for it, byte for byte.
type refExport struct {
	Format    string        `json:"format"`
	Version   int           `json:"version"`
	Exported  string        `json:"exported"`
	Updated   string        `json:"updated"`
	Settings  refSettings   `json:"settings"`
	Interests []refInterest `json:"interests"`
	Events    []refEvent    `json:"events"`
	Read      []string      `json:"read"`
	Hidden    []string      `json:"hidden"`
	Muted     []string      `json:"muted"`
}

type refSettings struct {
	Consent string  `json:"consent"`
	Variety float32 `json:"variety"`
}

type refInterest struct {
	Topic  string  `json:"topic"`
	Weight float32 `json:"weight"`
}

type refEvent struct {
	Item         string        `json:"item,omitempty"`
	Kind         string        `json:"kind"`
	Time         string        `json:"time"`
	DwellSeconds float32       `json:"dwell_seconds,omitempty"`
	Topic        string        `json:"topic,omitempty"`
	Taught       []refInterest `json:"taught,omitempty"`
}

func refExportJSON(t testing.TB, p *Profile, now int64) []byte {
	interests := func(in []Interest) []refInterest {
		out := []refInterest{}
		for _, v := range in {
			out = append(out, refInterest{v.Topic, v.Weight})
		}
		return out
	}
	x := refExport{
		Format: ExportFormat, Version: FormatVersion, Exported: rfc3339(now), Updated: rfc3339(p.Updated),
		Settings:  refSettings{p.Settings.Consent, p.Settings.Variety},
		Interests: interests(p.Interests), Events: []refEvent{},
		Read: append([]string{}, p.ReadItems...), Hidden: append([]string{}, p.Hidden...), Muted: append([]string{}, p.Muted...),
	}
	for _, ev := range p.Events {
		x.Events = append(x.Events, refEvent{Item: ev.Item, Kind: ev.Kind.String(), Time: rfc3339(ev.Time),
			DwellSeconds: ev.Dwell, Topic: ev.Topic, Taught: interests(ev.Credit)})
	}
	b, err := json.MarshalIndent(x, "", "  ")
	require.NoError(t, err)
	return b
}

func TestProfile_ExportJSON(t *testing.T) {
	p := fullProfile(t)
	b, err := p.ExportJSON(t0.Unix())
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Equal(t, ExportFormat, doc["format"])
	require.Equal(t, "2026-03-01T12:00:00Z", doc["exported"])
	events := doc["events"].([]any)
	require.Len(t, events, len(p.Events))
	read := events[1].(map[string]any)
	require.Equal(t, "read", read["kind"])
	require.Equal(t, "2026-03-01T13:00:00Z", read["time"])
	require.Equal(t, 42.5, read["dwell_seconds"])
	require.Equal(t, "go", read["taught"].([]any)[0].(map[string]any)["topic"])
	require.Equal(t, "mute", events[6].(map[string]any)["kind"])
	require.Equal(t, []any{"f"}, doc["hidden"])
}

// TestProfile_ExportJSON_Format holds the file to encoding/json's
// MarshalIndent of the declared format, the bytes the export has always
// had: member order, indentation, empty lists, escapes and the shortest
// float32 digits.
func TestProfile_ExportJSON_Format(t *testing.T) {
	odd := New()
	odd.Updated = t0.Unix()
	odd.Settings = Settings{Consent: ConsentDenied, Variety: -0.3}
	odd.Interests = []Interest{{Topic: "<b>&</b>", Weight: 0.1}, {Topic: "a\u2028b\"\\\t\x01", Weight: 1e-7}, {Topic: "z", Weight: 123456.79}}
	odd.Events = []Event{{Item: "é", Kind: Read, Time: t0.Unix(), Dwell: 1.0 / 3}, {Kind: Mute, Topic: "t", Time: 1}}
	odd.Muted = []string{"t"}
	for _, p := range []*Profile{New(), fullProfile(t), odd} {
		got, err := p.ExportJSON(t0.Unix())
		require.NoError(t, err)
		require.Equal(t, string(refExportJSON(t, p, t0.Unix())), string(got))
	}
}

func TestImportJSON_Refuses(t *testing.T) {
	valid, err := fullProfile(t).ExportJSON(t0.Unix())
	require.NoError(t, err)
	edit := func(old, new string) []byte {
		require.Contains(t, string(valid), old)
		return []byte(strings.Replace(string(valid), old, new, 1))
	}
	tests := []struct {
		name    string
		in      []byte
		wantErr error
		want    string
	}{
		{"not JSON", []byte("hello"), ErrInvalid, "not JSON"},
		{"trailing data", append(append([]byte{}, valid...), []byte(" {}")...), ErrInvalid, "data after"},
		{"not an object", []byte(`[]`), ErrInvalid, "the document: want an object, not a list"},
		{"unknown field", edit(`"format"`, `"extra": 1, "format"`), ErrInvalid, "extra: unknown field"},
		{"keys match exactly", edit(`"format"`, `"Format"`), ErrInvalid, "Format: unknown field"},
		{"unknown nested field", edit(`"kind": "like"`, `"kind": "like", "mood": "good"`), ErrInvalid, "events[3].mood: unknown field"},
		{"other format", edit(`"hearth-profile"`, `"other"`), ErrInvalid, `format "other"`},
		{"unknown version", edit(`"version": 2`, `"version": 7`), ErrVersion, "7"},
		{"version not an integer", edit(`"version": 2`, `"version": 2.5`), ErrInvalid, "version: not an integer"},
		{"version a string", edit(`"version": 2`, `"version": "2"`), ErrInvalid, "version: want a number, not a string"},
		{"bad kind", edit(`"kind": "like"`, `"kind": "love"`), ErrInvalid, `events[3].kind: unknown event kind "love"`},
		{"bad time", edit(`"time": "2026-03-01T12:00:00Z"`, `"time": "yesterday"`), ErrInvalid, `events[0].time: "yesterday"`},
		{"no time", edit(`"time": "2026-03-01T12:00:00Z",`, ``), ErrInvalid, `events[0]: no time`},
		{"no updated", edit(`"updated": "2026-03-01T18:00:00Z",`, ``), ErrInvalid, `updated: missing`},
		{"bad consent", edit(`"consent": "granted"`, `"consent": "sure"`), ErrInvalid, "settings.consent"},
		{"weight a string", edit(`"weight": `, `"weight": "1", "zz": `), ErrInvalid, "interests[0].weight: want a number, not a string"},
		{"beyond float32", edit(`"variety": 0.5`, `"variety": 1e40`), ErrInvalid, "settings.variety: number out of range"},
		{"infinite", edit(`"variety": 0.5`, `"variety": 1e400`), ErrInvalid, "settings.variety: number out of range"},
		{"too large", []byte(`{"format":"` + strings.Repeat("x", MaxJSONBytes) + `"}`), ErrTooLarge, "bytes, limit"},
		{"too many events", []byte(`{"events": [` + strings.Repeat(`{},`, MaxList) + `{}]}`), ErrTooLarge, "events: 10001 entries, limit 10000"},
		{"duplicate interests", edit(`"interests": [`, `"interests": [{"topic": "go", "weight": 1},`), ErrInvalid, "interests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ImportJSON(tt.in)
			require.ErrorIs(t, err, tt.wantErr)
			require.Nil(t, p)
			require.Contains(t, err.Error(), tt.want)
			require.True(t, strings.HasPrefix(err.Error(), "import profile: "), err.Error())
		})
	}
}

// TestJSONDoc checks that a file becomes the document the Worker's
// JSON.parse and encodeDoc make of it.
func TestJSONDoc(t *testing.T) {
	doc := func(build func(b []byte) []byte) []byte { return build(nil) }
	tests := []struct {
		in   string
		want []byte
	}{
		{`2`, wire.AppendInt64(nil, 2)},
		{`2.0`, wire.AppendInt64(nil, 2)},
		{`-0`, wire.AppendInt64(nil, 0)},
		{`9007199254740991`, wire.AppendInt64(nil, 1<<53-1)},
		{`9007199254740992`, wire.AppendFloat64(nil, 1<<53)},
		{`0.1`, wire.AppendFloat64(nil, 0.1)},
		{`1e400`, wire.AppendFloat64(nil, math.Inf(1))},
		{`"\u00e9\ud800"`, wire.AppendString(nil, "é\ufffd")},
		{` {"a": null, "b": [true, null], "a": 1} `, doc(func(b []byte) []byte {
			b = wire.AppendMapHeader(b, 2)
			b = wire.AppendInt64(wire.AppendString(b, "a"), 1)
			b = wire.AppendArrayHeader(wire.AppendString(b, "b"), 2)
			return wire.AppendNil(wire.AppendBool(b, true))
		})},
	}
	for _, tt := range tests {
		got, err := JSONDoc([]byte(tt.in))
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
}

func FuzzImportJSON(f *testing.F) {
	valid, err := fullProfile(f).ExportJSON(t0.Unix())
	require.NoError(f, err)
	f.Add(valid)
	f.Fuzz(func(t *testing.T, b []byte) {
		reimports(t, b, ImportJSON, func(p *Profile) ([]byte, error) { return p.ExportJSON(t0.Unix()) })
	})
}
