package bridge

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"os/exec"
	"strings"
	"testing"

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
		{`{"op":"import","now":5,"json":"` + strings.Repeat("é", 200) + `"}`,
			Request{Op: OpImport, Now: 5, JSON: strings.Repeat("é", 200)}},
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
