//go:build !hearthlean

package bridge

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os/exec"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/wire"
	"github.com/stretchr/testify/require"
)

// TestProtocol_JSEncoder encodes requests with the Worker's encoder
// (js/protocol.js, run by Node) and decodes them with the engine's decoder:
// the two halves must agree on every field type, float32 fields included.
func TestProtocol_JSEncoder(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: the browser tests cover the JS encoder")
	}
	tests := []struct {
		js   string
		want Request
	}{
		{`{"op":"track","now":1767225600000,"item":"/blog/x","kind":"read","dwell":15}`,
			Request{Op: OpTrack, Now: 1767225600000, Item: "/blog/x", Kind: "read", Dwell: 15}},
		{`{"op":"track","now":1,"kind":"read","dwell":0.3}`,
			Request{Op: OpTrack, Now: 1, Kind: "read", Dwell: 0.3}},
		{`{"op":"recommend","now":2,"count":5,"related":true,"item":"x","seed":4294967295}`,
			Request{Op: OpRecommend, Now: 2, Count: 5, Related: true, Item: "x", Seed: math.MaxUint32}},
		{`{"op":"recommend","now":2,"seed":9007199254740991,"related":false}`,
			Request{Op: OpRecommend, Now: 2, Seed: 1<<53 - 1}},
		{`{"op":"variety","now":3,"variety":-1}`, Request{Op: OpVariety, Now: 3, Variety: -1}},
		{`{"op":"forget-event","now":3,"index":-40000}`, Request{Op: OpForgetEvent, Now: 3, Index: -40000}},
		{`{"op":"load-catalogue","now":4,"bytes":"bytes:00ff10","consent":"granted"}`,
			Request{Op: OpLoadCatalogue, Now: 4, Bytes: []byte{0, 0xff, 0x10}, Consent: "granted"}},
		{`{"op":"forget-item","now":5,"item":"` + strings.Repeat("é", 200) + `"}`,
			Request{Op: OpForgetItem, Now: 5, Item: strings.Repeat("é", 200)}},
		{`{"op":"import","now":5,"doc":"bytes:81a161c3"}`, Request{Op: OpImport, Now: 5, Doc: []byte{0x81, 0xa1, 'a', 0xc3}}},
		{`{"op":"track","now":6,"item":null,"kind":"view"}`, Request{Op: OpTrack, Now: 6, Kind: "view"}},
	}
	var in []string
	for _, tt := range tests {
		in = append(in, tt.js)
	}
	lines := runNode(t, node, "testdata/encode.mjs", in)
	for i, tt := range tests {
		t.Run(tt.js, func(t *testing.T) {
			b, err := hex.DecodeString(lines[i])
			require.NoError(t, err)
			var got Request
			rest, err := decodeRequest(&got, b)
			require.NoError(t, err)
			require.Empty(t, rest)
			require.Equal(t, tt.want, got)
		})
	}
}

// TestProtocol_JSDecoder decodes the engine's responses with the Worker's
// decoder (js/protocol.js, run by Node): every string comes back as the
// engine wrote it, short or long, ASCII or not (the decoder reads short
// ASCII strings by hand and hands the rest to TextDecoder).
func TestProtocol_JSDecoder(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: the browser tests cover the JS decoder")
	}
	texts := []string{"", "a", "New", "Because you read Go 1.26 is released",
		strings.Repeat("x", 64), strings.Repeat("y", 65), strings.Repeat("z", 300),
		"Café", "é", "naïve reader", "📰 news", strings.Repeat("é", 40), "tab\tand\u007f", "\u0000"}
	var in []string
	var want []map[string]any
	for i, s := range texts {
		resp := Response{Recs: []Rec{{ID: s, URL: "/p/" + s, Title: s, Reasons: []Reason{{Code: "read", Text: s, Ref: s}}}}}
		reason := map[string]any{"code": "read", "text": s}
		if s != "" {
			reason["ref"] = s // omitempty
		}
		w := map[string]any{"recs": []any{map[string]any{"id": s, "url": "/p/" + s, "title": s, "reasons": []any{reason}}}}
		if i%2 == 1 {
			resp = Response{Code: s, Message: s}
			w = map[string]any{"code": s, "msg": s} // every odd text is non-empty
		}
		want = append(want, w)
		in = append(in, hex.EncodeToString(encode(&resp)))
	}
	lines := runNode(t, node, "testdata/decode.mjs", in)
	for i, w := range want {
		var got map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &got), lines[i])
		require.Equal(t, w, got, "text %q", texts[i])
	}
}

// runNode runs a script of testdata under Node with one input per line on
// stdin, and returns its output lines, one per input.
func runNode(t *testing.T, node, script string, in []string) []string {
	t.Helper()
	cmd := exec.Command(node, script)
	cmd.Stdin = strings.NewReader(strings.Join(in, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, len(in), "%s", out)
	return lines
}

// TestProtocol_JSDoc holds the Worker's half of the export (js/protocol.js,
// run by Node) to the native one (core/profile's json.go): the file
// docText writes of the engine's document is ExportJSON's, byte for byte,
// and the document encodeDoc makes of a file is JSONDoc's (compared as
// values, integers and floats told apart, where the file's keys come sorted
// as JSONDoc writes them; else by the profile they import to).
func TestProtocol_JSDoc(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: the browser tests cover the Worker's export")
	}
	const at = 1772366400 // 2026-03-01T12:00:00Z
	odd := profile.New()
	odd.Updated = at
	odd.Settings = profile.Settings{Consent: profile.ConsentDenied, Variety: -0.3}
	odd.Interests = []profile.Interest{{Topic: "<b>&</b>", Weight: 0.1}, {Topic: "a\u2028b\"\\\t\x01é📰", Weight: 1e-7},
		{Topic: "x", Weight: 1.0 / 3}, {Topic: "y", Weight: -2.5e-5}, {Topic: "z", Weight: 123456.79}}
	odd.Events = []profile.Event{{Item: "é", Kind: profile.Read, Time: at, Dwell: 86399.99}, {Kind: profile.Mute, Topic: "t", Time: 1}}
	odd.Muted = []string{"t"}
	var docs [][]byte
	var texts []string
	var in []string
	for _, p := range []*profile.Profile{profile.New(), odd, decodeProfile(t, ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "like"}).Profile)} {
		doc, err := p.ExportDoc(at)
		require.NoError(t, err)
		text, err := p.ExportJSON(at)
		require.NoError(t, err)
		docs = append(docs, doc)
		texts = append(texts, string(text))
		in = append(in, "text "+hex.EncodeToString(doc))
	}
	files := append([]string{`{"a": [2, 2.0, -0, 0.1, 1e400, -1e400, 9007199254740991, 9007199254740992, 4294967296, -33, 1.5e-300]}`,
		`{"a": null, "b": [true, false, null, "é\ud800"], "c": {"d": {}}}`}, texts...)
	for _, f := range files {
		q, err := json.Marshal(f)
		require.NoError(t, err)
		in = append(in, "doc "+string(q))
	}
	lines := runNode(t, node, "testdata/doc.mjs", in)
	for i, want := range texts {
		var got string
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &got), lines[i])
		require.Equal(t, want, got, "docText of document %d", i)
	}
	for i, f := range files {
		got, err := hex.DecodeString(lines[len(texts)+i])
		require.NoError(t, err)
		want, err := profile.JSONDoc([]byte(f))
		require.NoError(t, err)
		if i < 2 {
			require.Equal(t, canonicalDoc(t, want), canonicalDoc(t, got), f)
			continue
		}
		p, err := profile.ImportDoc(got)
		require.NoError(t, err)
		q, err := profile.ImportJSON([]byte(f))
		require.NoError(t, err)
		pb, err := p.Encode()
		require.NoError(t, err)
		qb, err := q.Encode()
		require.NoError(t, err)
		require.Equal(t, qb, pb, f)
		again, err := p.ExportDoc(at)
		require.NoError(t, err)
		require.Equal(t, docs[i-2], again, "the imported document exports as it was")
	}
}

// canonicalDoc re-encodes a document with each integer in its smallest
// width: the Worker's encoder writes some wider than core/wire does, which
// reads them alike.
func canonicalDoc(t *testing.T, doc []byte) []byte {
	r := wire.NewReader(doc)
	var walk func(b []byte) []byte
	walk = func(b []byte) []byte {
		switch c := r.Rest()[0]; {
		case c == 0xc0:
			r.Nil()
			return wire.AppendNil(b)
		case c == 0xc2 || c == 0xc3:
			return wire.AppendBool(b, r.Bool())
		case c == 0xca || c == 0xcb:
			return wire.AppendFloat64(b, r.Float64())
		case c < 0x80 || c >= 0xe0 || 0xcc <= c && c <= 0xd3:
			return wire.AppendInt64(b, r.Int64())
		case c&0xf0 == 0x90 || c == 0xdc || c == 0xdd:
			n := r.ArrayHeader()
			b = wire.AppendArrayHeader(b, uint32(n))
			for range n {
				b = walk(b)
			}
			return b
		case c&0xf0 == 0x80 || c == 0xde || c == 0xdf:
			n := r.MapHeader()
			b = wire.AppendMapHeader(b, uint32(n))
			for range 2 * n {
				b = walk(b)
			}
			return b
		}
		return wire.AppendString(b, r.String())
	}
	out := walk(nil)
	require.NoError(t, r.Err())
	require.Empty(t, r.Rest())
	return out
}
