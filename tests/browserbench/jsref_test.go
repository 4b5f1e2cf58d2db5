package browserbench

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
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
// that every stage of the reference is compared. The browser smoke test
// checks the benchmark's case in Chromium.
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

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return path
	}
	encode := func(p *profile.Profile) []byte {
		b, err := p.Encode()
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
	catFile, variedFile := write("cat.msgpack", b), write("varied.msgpack", variedBytes)
	var scenarios []scenario
	for _, count := range []int{1, 10, 50} {
		scenarios = append(scenarios, scenario{"benchmark policy", c, catFile, encode(p), count, 1})
	}
	for seed := range 4 {
		scenarios = append(scenarios,
			scenario{"diverse, capped, explored", &varied, variedFile, encode(p), 10, seed},
			scenario{"more variety", &varied, variedFile, encode(curious), 10, seed})
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
