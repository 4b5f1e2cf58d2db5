package profile

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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

func TestImportJSON_RoundTrip(t *testing.T) {
	for _, p := range []*Profile{New(), fullProfile(t)} {
		b, err := p.ExportJSON(t0.Unix())
		require.NoError(t, err)
		got, err := ImportJSON(b)
		require.NoError(t, err)
		want, err := p.Encode()
		require.NoError(t, err)
		have, err := got.Encode()
		require.NoError(t, err)
		require.Equal(t, want, have, "import(export(p)) stores the same bytes as p")
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
		{"not JSON", []byte("hello"), ErrInvalid, ""},
		{"trailing data", append(append([]byte{}, valid...), []byte(" {}")...), ErrInvalid, "data after"},
		{"unknown field", edit(`"format"`, `"extra": 1, "format"`), ErrInvalid, "unknown field"},
		{"other format", edit(`"hearth-profile"`, `"other"`), ErrInvalid, `format "other"`},
		{"unknown version", edit(`"version": 2`, `"version": 7`), ErrVersion, "7"},
		{"bad kind", edit(`"kind": "like"`, `"kind": "love"`), ErrInvalid, `unknown event kind "love"`},
		{"bad time", edit(`"time": "2026-03-01T12:00:00Z"`, `"time": "yesterday"`), ErrInvalid, `events[0].time: "yesterday"`},
		{"bad consent", edit(`"consent": "granted"`, `"consent": "sure"`), ErrInvalid, "settings.consent"},
		{"NaN-like weight", edit(`"variety": 0.5`, `"variety": 1e40`), ErrInvalid, ""},
		{"too large", []byte(`{"format":"` + strings.Repeat("x", MaxJSONBytes) + `"}`), ErrTooLarge, ""},
		{"too many objects", []byte(strings.Repeat("{", maxJSONObjects+1)), ErrTooLarge, "objects"},
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

func FuzzImportJSON(f *testing.F) {
	valid, err := fullProfile(f).ExportJSON(t0.Unix())
	require.NoError(f, err)
	f.Add(valid)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ImportJSON(b)
		if err != nil {
			require.Nil(t, p)
			return
		}
		require.NoError(t, p.Validate())
		out, err := p.ExportJSON(t0.Unix())
		require.NoError(t, err)
		again, err := ImportJSON(out)
		require.NoError(t, err)
		x, err := p.Encode()
		require.NoError(t, err)
		y, err := again.Encode()
		require.NoError(t, err)
		require.Equal(t, x, y)
	})
}
