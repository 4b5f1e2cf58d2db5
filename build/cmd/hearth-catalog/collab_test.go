package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/build/collab"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

// TestRun_Collab builds the four-item catalogue with vectors learned from
// transition counts (named by the log's paths, under -url-prefix) and a
// panel, and refuses bad input by file and line.
func TestRun_Collab(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "items.jsonl", items+`{"id": "e", "url": "https://example.com/e", "title": "Cats and kittens nap", "summary": "a new post about cats", "tags": ["cats"], "published": "2024-01-05"}`+"\n")
	// Cat posts a, b lead to each other; dog posts c, d too. e is new.
	var tr strings.Builder
	tr.WriteString("from,to,count\n")
	for _, p := range [][2]string{{"a", "b"}, {"b", "a"}, {"c", "d"}, {"d", "c"}} {
		fmt.Fprintf(&tr, "/posts/%s,/posts/%s,40\n", p[0], p[1])
	}
	tr.WriteString("/posts/a,/posts/c,1\n/,/posts/a,99\n")
	transitions := write(t, dir, "transitions.csv", tr.String())
	panel := write(t, dir, "panel.csv", "user,item,time\nu1,a,1700000000\nu1,b,1700000100\nu2,c,1700000000\nu2,d,\n")

	out := filepath.Join(dir, "cat.msgpack")
	stdout, stderr, err := runCmd(t, "-in", in, "-url-prefix", "https://example.com/=/posts/",
		"-transitions", transitions, "-panel", panel, "-dim", "2", "-collab-dim", "4", "-lambda", "2", "-out", out)
	require.NoError(t, err, stderr)
	require.Contains(t, stdout, "collaborative vectors: 4 items learned (5 of 6 transition rows used, 4 of 4 panel rows used, from 2 members), 1 mapped from their text, 0 without a vector; dim 7 (the last 2 the items' text, at weight 0.25: -collab-text-weight)", "with a panel, the panel's default")
	require.Contains(t, stderr, "warning: 1 names in -transitions or -panel are no catalogue item (most frequent: /)")
	require.NotContains(t, stderr, "leave from the site's root", "one row of six from the root is the home page's links")
	require.Contains(t, stdout, "panel: 4 items have fewer than 5 members (-panel-min-members), so the panel taught them nothing", "the transitions teach them")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	c, err := catalog.Decode(b)
	require.NoError(t, err)
	require.Equal(t, 4+1+2, c.Dim, "the factors, the mapping's error and the -dim 2 text vectors")
	require.Len(t, c.Gram, 49)
	require.EqualValues(t, 2, c.Lambda, "-lambda is the training's and the shipped one")
	require.Equal(t, collab.PanelWeights, c.Policy.Weights, "no policy: learned vectors' weights, the panel's leading")
	require.Contains(t, stdout, "policy: no weights given; learned vectors rank with similarity 1, topic 0.1, freshness 0.2, popularity 1")
	for _, it := range c.Items {
		require.Len(t, it.Vector, 7, it.URL)
	}
	stdout, _, err = runCmd(t, "-in", in, "-url-prefix", "https://example.com/=/posts/", "-transitions", transitions,
		"-dim", "2", "-collab-dim", "4", "-collab-text-weight", "0", "-out", filepath.Join(dir, "plain.msgpack"))
	require.NoError(t, err)
	require.Contains(t, stdout, "0 without a vector; dim 5\n", "-collab-text-weight 0 appends no text")
	// Transitions alone weigh the text by their own default, unless told.
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{nil, fmt.Sprintf("at weight %g:", float64(collab.DefaultTextWeightTransit))},
		{[]string{"-collab-text-weight", "0.5"}, "at weight 0.5:"},
	} {
		args := append([]string{"-in", in, "-url-prefix", "https://example.com/=/posts/", "-transitions", transitions,
			"-dim", "2", "-collab-dim", "4", "-out", filepath.Join(dir, "transit.msgpack")}, tc.flags...)
		stdout, _, err = runCmd(t, args...)
		require.NoError(t, err)
		require.Contains(t, stdout, "dim 7 (the last 2 the items' text, "+tc.want, tc.flags)
	}
	// Bad options stop the build before it reads anything.
	for _, bad := range [][2]string{{"-collab-text-weight", "11"}, {"-collab-text-weight", "NaN"}, {"-panel-min-members", "-1"}} {
		_, _, err = runCmd(t, "-in", in, "-panel", filepath.Join(dir, "missing.csv"), bad[0], bad[1], "-out", filepath.Join(dir, "bad.msgpack"))
		require.ErrorIs(t, err, collab.ErrOptions, "%s %s", bad[0], bad[1])
	}
	stdout, _, err = runCmd(t, "inspect", out)
	require.NoError(t, err)
	require.Contains(t, stdout, "fold-in   learned vectors with YᵀY and λ 2: a reader's vector is fitted to their items (implicit ALS), each event's weight halving with every 3 later moments of theirs")

	// A later build from it without -transitions or -panel ships text
	// vectors, and says so; with them, it learns again without a word.
	next := []string{"-q", "-in", in, "-url-prefix", "https://example.com/=/posts/", "-previous", out, "-out", filepath.Join(dir, "next.msgpack")}
	_, stderr, err = runCmd(t, next...)
	require.NoError(t, err)
	require.Contains(t, stderr, "has vectors learned from -transitions or -panel; this build has neither, so it ships text vectors")
	_, stderr, err = runCmd(t, append(next, "-transitions", transitions)...)
	require.NoError(t, err)
	require.NotContains(t, stderr, "ships text vectors")
	require.Equal(t, collab.TransitionWeights, policyOf(t, filepath.Join(dir, "next.msgpack")).Weights, "transitions alone: theirs")
	// A policy's own weights stand, even one that leaves similarity out.
	own := write(t, dir, "policy.json", `{"weights": {"popularity": 1, "freshness": 0.5}}`)
	_, stderr, err = runCmd(t, append(next, "-transitions", transitions, "-policy", own)...)
	require.NoError(t, err, stderr)
	require.Equal(t, catalog.Weights{Popularity: 1, Freshness: 0.5}, policyOf(t, filepath.Join(dir, "next.msgpack")).Weights)

	// A site whose pages hide where a reader came from: every row leaves
	// from its root.
	_, stderr, err = runCmd(t, "-q", "-in", in, "-url-prefix", "https://example.com/=/posts/", "-out", filepath.Join(dir, "root.msgpack"),
		"-transitions", write(t, dir, "root.csv", "/,/posts/a,9\nhttps://example.com/,/posts/b,4\n"))
	require.ErrorIs(t, err, collab.ErrNoData)
	require.Contains(t, stderr, "warning: all 2 rows of -transitions leave from the site's root (/): pages sent with Referrer-Policy origin, strict-origin or no-referrer")

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad count", []string{"-transitions", write(t, dir, "bad.csv", "/posts/a,/posts/b,1\n/posts/a,/posts/c,lots\n")},
			`-transitions: ` + filepath.Join(dir, "bad.csv") + `:2: invalid input: count "lots" is not a number from 0 to 1e+15`},
		{"bad time", []string{"-panel", write(t, dir, "badp.csv", "u,a,1\nu,b,noon\n")},
			`-panel: ` + filepath.Join(dir, "badp.csv") + `:2: invalid input: time "noon"`},
		{"no catalogue item", []string{"-transitions", write(t, dir, "none.csv", "/x,/y,1\n")},
			"collaborative vectors: no interactions or transitions: no row names catalogue items (2 names are none)"},
		{"no rows", []string{"-transitions", write(t, dir, "empty.csv", "from,to,count\n")},
			"-transitions: " + filepath.Join(dir, "empty.csv") + " has no rows; from transitions.sh, that means no request in the log came from a page of its HOST"},
		{"with -no-vectors", []string{"-panel", panel, "-no-vectors"}, "do not go with -no-vectors or -gram"},
		{"missing file", []string{"-panel", filepath.Join(dir, "absent.csv")}, "-panel: open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-q", "-in", in, "-url-prefix", "https://example.com/=/posts/", "-out", filepath.Join(dir, "x.msgpack")}, tc.args...)
			_, _, err := runCmd(t, args...)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// policyOf is the policy of the catalogue at path.
func policyOf(t *testing.T, path string) catalog.Policy {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	c, err := catalog.Decode(b)
	require.NoError(t, err)
	return c.Policy
}

// TestPanel turns readers' exported profiles into -panel's CSV, one member
// per file, and builds from it.
func TestPanel(t *testing.T) {
	dir := t.TempDir()
	doc := func(items ...string) string {
		var ev []string
		for _, it := range items {
			ev = append(ev, `{"item": "`+it+`", "kind": "read", "time": "2026-03-01T12:00:00Z", "dwell_seconds": 40}`)
		}
		return `{"format": "hearth-profile", "version": 2, "exported": "2026-03-01T12:05:00Z", "updated": "2026-03-01T12:00:00Z",
  "settings": {"consent": "granted", "variety": 0}, "interests": [], "events": [` + strings.Join(ev, ",") + `], "read": [], "hidden": [], "muted": []}`
	}
	exports := []string{
		write(t, dir, "r1.json", doc("a", "b")),
		write(t, dir, "r2.json", doc("c", "d")),
		write(t, dir, "r3.json", doc("a", "b")), // the same file, given twice
		write(t, dir, "r4.json", doc()),
		write(t, dir, "r5.json", doc("d", "c", "a,b")),
	}
	bad := write(t, dir, "notes.txt", "reading list: a, b\n")

	_, stderr, err := runCmd(t, "panel")
	require.EqualError(t, err, "panel: give one or more exported profiles")
	require.Contains(t, stderr, "usage: hearth-catalog panel [-out panel.csv] [-lenient] export.json...")

	_, _, err = runCmd(t, append([]string{"panel"}, append(exports, bad)...)...)
	require.ErrorContains(t, err, "panel: "+bad+": invalid input: not a JSON export")
	require.ErrorContains(t, err, "(-lenient skips such files)")

	panel := filepath.Join(dir, "panel.csv")
	stdout, stderr, err := runCmd(t, append([]string{"panel", "-lenient", "-out", panel}, append(exports, bad)...)...)
	require.NoError(t, err, stderr)
	require.Empty(t, stdout)
	require.Contains(t, stderr, "warning: "+exports[2]+" is the same file as "+exports[0]+": one member")
	require.Contains(t, stderr, "warning: "+bad+": invalid input: not a JSON export")
	require.Contains(t, stderr, "panel: 3 members, 7 rows, from 6 files (1 the same as another, 1 skipped, 1 with no item the reader engaged with)")
	b, err := os.ReadFile(panel)
	require.NoError(t, err)
	require.Equal(t, "user,item,time\n1,a,\n1,b,\n2,c,\n2,d,\n3,d,\n3,c,\n3,\"a,b\",\n", string(b), "numbered members, items quoted as CSV, no time")

	// Three members, each item had by two at most: below the default
	// floor, the panel teaches nothing.
	build := []string{"-in", write(t, dir, "items.jsonl", items), "-panel", panel, "-dim", "2", "-collab-dim", "4", "-lambda", "2", "-out", filepath.Join(dir, "cat.msgpack")}
	_, stderr, err = runCmd(t, build...)
	require.ErrorIs(t, err, collab.ErrNoData)
	require.ErrorContains(t, err, "the panel's 4 items each have fewer than 5 members")
	require.Contains(t, stderr, "(most frequent: a,b)")
	stdout, stderr, err = runCmd(t, append(build, "-panel-min-members", "2")...)
	require.NoError(t, err, stderr)
	require.Contains(t, stdout, "collaborative vectors: 2 items learned (6 of 7 panel rows used, from 3 members)")
	require.Contains(t, stdout, "panel: 2 items have fewer than 2 members (-panel-min-members), so the panel taught them nothing")
}

func TestPlural(t *testing.T) {
	require.Equal(t, "1 member", plural(1, "member"))
	require.Equal(t, "0 files", plural(0, "file"))
	require.Equal(t, "609 members", plural(609, "member"))
}
