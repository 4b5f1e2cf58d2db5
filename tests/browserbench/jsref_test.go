package browserbench

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestJSRef_MatchesEngine runs the JavaScript reference under Node on the
// 1k catalogue and the benchmark reader, and requires the engine's list: the
// benchmark compares two implementations of the same ranking. The browser
// smoke test checks the same in Chromium.
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
	enc, err := p.Encode()
	require.NoError(t, err)
	dir := t.TempDir()
	catFile, profFile := filepath.Join(dir, "cat.msgpack"), filepath.Join(dir, "prof.msgpack")
	require.NoError(t, os.WriteFile(catFile, b, 0o644))
	require.NoError(t, os.WriteFile(profFile, enc, 0o644))

	e := &env{now: now}
	for _, count := range []int{1, 10, 50} {
		bc := &benchCatalogue{cat: c, encoded: enc}
		want := e.nativeList(bc, count)
		var stderr strings.Builder
		cmd := exec.Command(node, "testdata/rank.mjs", catFile, profFile, strconv.FormatInt(now.UnixMilli(), 10), strconv.Itoa(count))
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		require.NoError(t, err, "%s", stderr.String())
		require.Equal(t, want, strings.Fields(string(out)), "top %d", count)
	}
}
