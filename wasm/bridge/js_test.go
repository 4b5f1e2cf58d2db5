//go:build !hearthlean

package bridge

import (
	"encoding/hex"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/profile"
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

// TestExport_JS runs the Worker's export mapping (js/export.js, under
// Node) on the engine's bytes: every profile, odd values included, exports
// as a file that imports back as the same profile and exports as the same
// file; the file of one profile is the golden one (the format, pinned);
// files the format does not allow are refused, naming the field; numbers
// are the shortest decimals of their float32s (Go's strconv), and times are
// RFC 3339 as Go's time package writes and reads them.
func TestExport_JS(t *testing.T) {
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
	rng := rand.New(rand.NewPCG(1, 2))
	profiles := []*profile.Profile{profile.New(), odd, decodeProfile(t, ok(t, reader(t), Request{Op: OpTrack, Item: "soup", Kind: "like"}).Profile)}
	for range 40 {
		profiles = append(profiles, randomProfile(rng))
	}
	var in []string
	for _, p := range profiles {
		b, err := p.Plain()
		require.NoError(t, err)
		in = append(in, "export "+hex.EncodeToString(b)+" "+strconv.Itoa(at*1000+999))
	}
	texts := decodeLines[string](t, runNode(t, node, "testdata/export.mjs", in))

	golden := filepath.Join("testdata", "export.golden.json")
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(golden, []byte(texts[1]+"\n"), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, strings.TrimSuffix(string(want), "\n"), texts[1], "the export format changed: HEARTH_UPDATE_GOLDEN=1 rewrites the golden file")

	in = in[:0]
	for _, text := range texts {
		require.True(t, json.Valid([]byte(text)), text)
		q, err := json.Marshal(text)
		require.NoError(t, err)
		in = append(in, "import "+string(q))
	}
	imported := runNode(t, node, "testdata/export.mjs", in)
	in = in[:0]
	for i, p := range profiles {
		b, err := hex.DecodeString(imported[i])
		require.NoError(t, err, imported[i])
		q, err := profile.Import(b)
		require.NoError(t, err, texts[i])
		require.Equal(t, p, q, "profile %d: export, then import", i)
		in = append(in, "export "+hex.EncodeToString(b)+" "+strconv.Itoa(at*1000+999))
	}
	require.Equal(t, texts, decodeLines[string](t, runNode(t, node, "testdata/export.mjs", in)), "an imported file exports as it was")
}

// TestExport_JSRefused feeds the Worker's import files the format does
// not allow: each is refused before the engine sees it, with a message
// naming the field.
func TestExport_JSRefused(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: the browser tests cover the Worker's import")
	}
	valid := `{"format": "hearth-profile", "version": 2, "updated": "2026-03-01T12:00:00Z"`
	tests := []struct{ file, want string }{
		{`[]`, "the document: want an object, not a list"},
		{`null`, "the document: want an object, not null"},
		{`{"cookies": true}`, "cookies: unknown field"},
		{`{"format": "other", "version": 2, "updated": "2026-03-01T12:00:00Z"}`, `format "other", want "hearth-profile"`},
		{`{"format": "hearth-profile", "version": 3, "updated": "2026-03-01T12:00:00Z"}`, "unsupported profile version 3 (this code imports 2)"},
		{`{"format": "hearth-profile", "version": 2.5}`, "version: not an integer"},
		{`{"format": "hearth-profile", "version": 2}`, "updated: missing"},
		{valid + `, "events": [{"kind": "read", "time": "2026-03-01T12:00:00Z"}, {"kind": "love", "time": "2026-03-01T12:00:00Z"}]}`, `events[1].kind: unknown event kind "love"`},
		{valid + `, "events": [{"item": "a", "kind": "read"}]}`, "events[0]: no time"},
		{valid + `, "events": [{"item": "a", "kind": "read", "time": "yesterday"}]}`, `events[0].time: "yesterday" is not an RFC 3339 time`},
		{valid + `, "events": [{"item": "a", "kind": "read", "time": "1969-12-31T23:59:59Z"}]}`, "events[0].time: 1969-12-31T23:59:59Z is before 1970"},
		{valid + `, "events": [{"item": "a", "kind": "like", "time": "2026-03-01T12:00:00Z", "taught": [{"topic": "go", "weight": "2"}]}]}`, "events[0].taught[0].weight: want a number, not a string"},
		{valid + `, "interests": [{"topic": "go", "weight": 1e39}]}`, "interests[0].weight: number out of range"},
		{valid + `, "settings": {"consent": "", "variety": 0, "theme": "dark"}}`, "settings.theme: unknown field"},
		{valid + `, "read": ["a", 1]}`, "read[1]: want a string, not a number"},
		{`{"format": `, "not JSON"},
		{`"` + strings.Repeat("x", profile.MaxJSONBytes) + `"`, "profile too large"},
	}
	var in []string
	for _, tt := range tests {
		q, err := json.Marshal(tt.file)
		require.NoError(t, err)
		in = append(in, "import "+string(q))
	}
	for i, line := range runNode(t, node, "testdata/export.mjs", in) {
		msg, found := strings.CutPrefix(line, "refused ")
		require.True(t, found, "%s: imported", tests[i].file[:min(len(tests[i].file), 80)])
		var got string
		require.NoError(t, json.Unmarshal([]byte(msg), &got))
		require.True(t, strings.HasPrefix(got, "import profile: "), got)
		require.Contains(t, got, tests[i].want)
	}
}

// TestExport_JSNumbersAndTimes holds the mapping's numbers to Go's shortest
// float32 decimals (strconv.FormatFloat(f, 'g', -1, 32)) and its times to
// package time's RFC 3339.
func TestExport_JSNumbersAndTimes(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var floats []float32
	for e := -149; e <= 127; e++ {
		p := float32(math.Ldexp(1, e))
		floats = append(floats, p, -p, math.Nextafter32(p, 0), math.Nextafter32(p, math.MaxFloat32))
	}
	for range 3000 {
		f := math.Float32frombits(rng.Uint32())
		if !math.IsNaN(float64(f)) && !math.IsInf(float64(f), 0) {
			floats = append(floats, f)
		}
	}
	floats = append(floats, 0.1, 1.0/3, 86399.99, 123456.79, 1e-7, math.MaxFloat32, math.SmallestNonzeroFloat32)
	secs := []int64{0, 1, 59, 86399, 951782400, 1772366400, 4102444800, 253402300799}
	for range 200 {
		secs = append(secs, rng.Int64N(253402300800))
	}
	valid := []string{"2026-03-01T12:00:00Z", "2026-03-01t12:00:00z", "2026-03-01T12:00:00.999999Z", "2026-03-01T13:30:00+01:30",
		"2024-02-29T23:59:59-23:59", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"}
	invalid := []string{"", "2026-03-01", "2026-03-01T12:00:00", "2026-03-01 12:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
		"2026-03-01T24:00:00Z", "2026-03-01T12:60:00Z", "2026-03-01T12:00:60Z", "2026-03-01T12:00:00+24:00", "2026-03-01T12:00:00.Z",
		"+2026-03-01T12:00:00Z", "2026-3-01T12:00:00Z", "2026-03-01T12:00:00+0100"}
	var in []string
	for _, f := range floats {
		in = append(in, "decimal "+strconv.FormatFloat(float64(f), 'g', -1, 64))
	}
	for _, s := range secs {
		in = append(in, "time "+strconv.FormatInt(s, 10))
	}
	for _, s := range append(append([]string{}, valid...), invalid...) {
		q, err := json.Marshal(s)
		require.NoError(t, err)
		in = append(in, "parse "+string(q))
	}
	out := runNode(t, node, "testdata/export.mjs", in)
	for i, f := range floats {
		want, err := strconv.ParseFloat(strconv.FormatFloat(float64(f), 'g', -1, 32), 64)
		require.NoError(t, err)
		got, err := strconv.ParseFloat(out[i], 64)
		require.NoError(t, err, out[i])
		if math.Float32bits(f)&(1<<23-1) == 0 {
			// At a power of two Go's Dragonbox may pick another decimal of
			// the same length in f's interval: the same digit count, and it
			// must read back as f.
			require.Equal(t, f, float32(got), "decimal32(%g) = %s reads back", f, out[i])
			require.Equal(t, digits(want), digits(got), "decimal32(%g) = %s, strconv %g", f, out[i], want)
			continue
		}
		require.Equal(t, want, got, "decimal32(%g)", f)
	}
	out = out[len(floats):]
	for i, s := range secs {
		require.Equal(t, time.Unix(s, 0).UTC().Format(time.RFC3339), out[i])
	}
	out = out[len(secs):]
	for i, s := range valid {
		want, err := time.Parse(time.RFC3339, strings.ToUpper(s))
		require.NoError(t, err, s)
		require.Equal(t, strconv.FormatInt(want.Unix(), 10), out[i], s)
	}
	for i, s := range invalid {
		require.Equal(t, "null", out[len(valid)+i], "%q is not RFC 3339", s)
	}
}

// randomProfile is a valid profile of a few events and interests with
// topics and items of any runes and weights of any float32 in range.
func randomProfile(rng *rand.Rand) *profile.Profile {
	word := func() string {
		runes := []rune("aé📰<&\u2028\"\\\t")
		b := make([]rune, 1+rng.IntN(6))
		for i := range b {
			b[i] = runes[rng.IntN(len(runes))]
		}
		return string(b)
	}
	weight := func() float32 {
		return float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(10)-5)))
	}
	p := profile.New()
	p.Updated = rng.Int64N(4102444800)
	p.Settings.Variety = float32(rng.Float64()*2 - 1)
	topics := map[string]bool{}
	for range rng.IntN(6) {
		topics[word()] = true
	}
	for topic := range topics {
		p.Interests = append(p.Interests, profile.Interest{Topic: topic, Weight: weight()})
	}
	slices.SortFunc(p.Interests, func(a, b profile.Interest) int { return strings.Compare(a.Topic, b.Topic) })
	for range rng.IntN(6) {
		ev := profile.Event{Item: word(), Kind: profile.Kinds()[rng.IntN(len(profile.Kinds()))], Time: rng.Int64N(4102444800)}
		switch ev.Kind {
		case profile.Read:
			ev.Dwell = float32(rng.Float64() * profile.MaxDwell)
		case profile.Mute:
			ev.Item, ev.Topic = "", word()
		case profile.Like:
			ev.Credit = []profile.Interest{{Topic: word(), Weight: weight()}}
		}
		p.Events = append(p.Events, ev)
	}
	for range rng.IntN(3) {
		p.ReadItems = append(p.ReadItems, word())
	}
	return p
}

// digits counts the significant digits of the shortest decimal of v.
func digits(v float64) int {
	m, _, _ := strings.Cut(strconv.FormatFloat(math.Abs(v), 'e', -1, 64), "e")
	return len(strings.ReplaceAll(m, ".", ""))
}

// decodeLines reads each line as a JSON value.
func decodeLines[T any](t *testing.T, lines []string) []T {
	out := make([]T, len(lines))
	for i, l := range lines {
		require.NoError(t, json.Unmarshal([]byte(l), &out[i]), l)
	}
	return out
}
