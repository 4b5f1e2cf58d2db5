package browserbench

import (
	"cmp"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/stretchr/testify/require"
)

// TestJSRef_MatchesEngine runs the JavaScript reference under Node on the
// 1k catalogue and the benchmark reader, and requires the engine's list,
// items and reasons: the benchmark compares two implementations of the same
// ranking. Besides the benchmark's policy (diversity and exploration
// negligible), it checks one that diversifies, caps a section and always
// explores, for several seeds and a reader who asks for more variety, so
// that every stage of the reference is compared, and one that sets nothing,
// so that the defaults are. The browser smoke test checks the benchmark's
// case in Chromium.
func TestJSRef_MatchesEngine(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed: TestBrowser_Smoke checks the reference in the browser")
	}
	b, _, err := Catalogue(1_000)
	require.NoError(t, err)
	c, err := catalog.Decode(b)
	require.NoError(t, err)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	p, err := Reader(c, now)
	require.NoError(t, err)

	varied := *c
	varied.Policy.Diversity = 0.3
	varied.Policy.Exploration = 1
	varied.Policy.SectionCaps = []catalog.SectionCap{{Section: c.Items[0].Section, Max: 1}}
	variedBytes, err := varied.Encode()
	require.NoError(t, err)
	curious, err := Reader(c, now)
	require.NoError(t, err)
	require.NoError(t, curious.SetVariety(0.5))
	// A reader of the newest items, each read an hour after it came out:
	// the reader's blend keeps freshness for them, where it turns it off
	// for the benchmark reader's items picked at random.
	newest := slices.Clone(c.Items)
	slices.SortFunc(newest, func(a, b catalog.Item) int { return cmp.Compare(a.Published, b.Published) })
	follower := profile.New()
	require.NoError(t, follower.SetConsent(profile.ConsentGranted))
	for _, it := range newest[len(newest)-20:] {
		_, err := follower.Track(c, profile.Event{Item: it.ID, Kind: profile.Read, Dwell: 60}, min(it.Published+3600, now.Unix()))
		require.NoError(t, err)
	}
	// A policy that sets nothing: engine and reference take the defaults,
	// each from its side of jsref/defaults.js.
	bare := *c
	bare.Policy = catalog.Policy{}
	bareBytes, err := bare.Encode()
	require.NoError(t, err)
	// Topics under the catalogue's reason_min (derived, not vouched for):
	// every other item carries its topics at half weight, so the reference
	// must leave out the "You follow" that the engine leaves out.
	derived := *c
	derived.Items = slices.Clone(c.Items)
	for i := 1; i < len(derived.Items); i += 2 {
		derived.Items[i].Topics = slices.Clone(derived.Items[i].Topics)
		for k := range derived.Items[i].Topics {
			derived.Items[i].Topics[k].Weight /= 2
		}
	}
	derived.Policy.TopicReasonMin = 0.7
	derivedBytes, err := derived.Encode()
	require.NoError(t, err)

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return path
	}
	encode := func(p *profile.Profile) []byte {
		b, err := p.Encode()
		require.NoError(t, err)
		// The reference reads the MessagePack inside the stored form's seal.
		b, err = profile.Open(b)
		require.NoError(t, err)
		return b
	}
	type scenario struct {
		name        string
		cat         *catalog.Catalogue
		catFile     string
		prof        []byte
		count, seed int
	}
	catFile, variedFile, bareFile := write("cat.msgpack", b), write("varied.msgpack", variedBytes), write("bare.msgpack", bareBytes)
	derivedFile := write("derived.msgpack", derivedBytes)
	var scenarios []scenario
	for _, count := range []int{1, 10, 50} {
		scenarios = append(scenarios, scenario{"benchmark policy", c, catFile, encode(p), count, 1})
	}
	for seed := range 4 {
		scenarios = append(scenarios,
			scenario{"diverse, capped, explored", &varied, variedFile, encode(p), 10, seed},
			scenario{"more variety", &varied, variedFile, encode(curious), 10, seed},
			scenario{"a reader of the newest", c, catFile, encode(follower), 10, seed},
			scenario{"policy defaults", &bare, bareFile, encode(p), 10, seed},
			scenario{"topics under reason_min", &derived, derivedFile, encode(p), 50, seed})
	}
	for _, sc := range scenarios {
		t.Run(sc.name+"/"+strconv.Itoa(sc.count)+"/"+strconv.Itoa(sc.seed), func(t *testing.T) {
			prof, err := profile.Decode(sc.prof)
			require.NoError(t, err)
			prof.Prune(sc.cat.Policy, now.Unix()) // as load-profile does
			want := recs(rank.New(sc.cat).Recommend(prof, rank.Request{Count: sc.count, Now: now.Unix(), Seed: uint64(sc.seed)}))
			var stderr strings.Builder
			cmd := exec.Command(node, "testdata/rank.mjs", sc.catFile, write("prof.msgpack", sc.prof),
				strconv.FormatInt(now.UnixMilli(), 10), strconv.Itoa(sc.count), strconv.Itoa(sc.seed))
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			require.NoError(t, err, "%s", stderr.String())
			var got []Rec
			require.NoError(t, json.Unmarshal(out, &got))
			require.Equal(t, want, got)
		})
	}
}

// TestJSRef_Defaults holds jsref/defaults.js, the policy defaults and score
// terms the JavaScript reference imports, to their one source: the file
// must be what catalog.Policy{}.WithDefaults() and rank.ScoreTerms() give
// now. After a deliberate change to either, rewrite it with
// HEARTH_UPDATE_GOLDEN=1 and give the reference any new term's value
// (rank.js refuses to load without one).
func TestJSRef_Defaults(t *testing.T) {
	got := jsrefDefaults()
	path := filepath.Join("jsref", "defaults.js")
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with HEARTH_UPDATE_GOLDEN=1 to create it")
	require.Equal(t, string(want), got, "jsref/defaults.js is stale: run with HEARTH_UPDATE_GOLDEN=1")
}

// jsrefDefaults is the text of jsref/defaults.js.
func jsrefDefaults() string {
	var b strings.Builder
	b.WriteString(`// Code generated by TestJSRef_Defaults (tests/browserbench/jsref_test.go)
// from catalog.Policy{}.WithDefaults(), rank.ScoreTerms() and profile.Kinds(). DO NOT EDIT:
// HEARTH_UPDATE_GOLDEN=1 go test ./tests/browserbench -run TestJSRef_Defaults
// rewrites it.

/** The policy's defaults by wire key, as catalog.Policy.WithDefaults fills them. */
export const policyDefaults = `)
	writeWire(&b, reflect.ValueOf(catalog.Policy{}.WithDefaults()), "")
	b.WriteString(`;

/**
 * The score's terms in the order the engine sums them (rank.ScoreTerms):
 * the key of each one's weight in policy.weights, the largest |value|,
 * whether it needs the reader, its reason's code and threshold.
 */
export const scoreTerms = [
`)
	for _, st := range rank.ScoreTerms() {
		b.WriteString("  { key: " + jsString(st.Key) + ", bound: " + number(st.Bound) + ", personal: " + strconv.FormatBool(st.Personal) +
			", reason: " + jsString(st.Reason) + ", reasonAt: " + number(st.ReasonAt) + " },\n")
	}
	b.WriteString(`];

/**
 * Event kinds by their number (profile.Kind): the name, the weight of one
 * event and the extra weight of a full read (profile.Kind.Weight), which
 * shorter reads get in proportion to their dwell up to fullReadSeconds.
 */
export const eventKinds = {
`)
	for _, k := range profile.Kinds() {
		base := k.Weight(0)
		full := k.Weight(profile.FullReadSeconds)
		b.WriteString("  " + strconv.Itoa(int(k)) + ": { name: " + jsString(k.String()) + ", weight: " + number(base) + ", dwell: " + number(full-base) + " },\n")
	}
	b.WriteString("};\n\n/** The dwell at which a read counts fully (profile.FullReadSeconds). */\nexport const fullReadSeconds = " + strconv.Itoa(profile.FullReadSeconds) + ";\n")
	return b.String()
}

// writeWire writes v's fields with a wire key (msg tag) and a number,
// string or struct value as a JavaScript object literal; lists (empty in
// the defaults) are left out.
func writeWire(b *strings.Builder, v reflect.Value, indent string) {
	b.WriteString("{\n")
	for i := range v.NumField() {
		key := strings.Split(v.Type().Field(i).Tag.Get("msg"), ",")[0]
		f := v.Field(i)
		if key == "" || key == "-" {
			continue
		}
		var val string
		switch f.Kind() {
		case reflect.Float32:
			val = number(float32(f.Float()))
		case reflect.Int:
			val = strconv.FormatInt(f.Int(), 10)
		case reflect.String:
			val = jsString(f.String())
		case reflect.Struct:
			b.WriteString(indent + "  " + key + ": ")
			writeWire(b, f, indent+"  ")
			b.WriteString(",\n")
			continue
		default:
			continue
		}
		b.WriteString(indent + "  " + key + ": " + val + ",\n")
	}
	b.WriteString(indent + "}")
}

// jsString is s as a JavaScript string literal in the project's single
// quotes.
func jsString(s string) string {
	q := strconv.Quote(s)
	return "'" + strings.ReplaceAll(strings.ReplaceAll(q[1:len(q)-1], `\"`, `"`), "'", `\'`) + "'"
}

// number formats a float32 as its shortest decimal.
func number(f float32) string { return strconv.FormatFloat(float64(f), 'g', -1, 32) }
