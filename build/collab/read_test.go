package collab

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/core/profile"
	"github.com/hearth-dev/hearth/core/rank"
	"github.com/stretchr/testify/require"
)

func TestReadTransitions(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []NamedTransition
		err      string
	}{
		{"header", "from,to,count\n/a,/b,3\n /b , /c ,1.5\n", []NamedTransition{{"/a", "/b", 3, 2}, {"/b", "/c", 1.5, 3}}, ""},
		{"no header", "/a,/b,3\n", []NamedTransition{{"/a", "/b", 3, 1}}, ""},
		{"bad count", "/a,/b,3\n/a,/c,many\n", nil, `t.csv:2: invalid input: count "many" is not a number from 0 to 1e+15`},
		{"negative", "/a,/b,-1\n", nil, `t.csv:1: invalid input: count "-1" is not a number from 0 to 1e+15`},
		{"beyond any log", "/a,/b,1e308\n", nil, `t.csv:1: invalid input: count "1e308" is not a number from 0 to 1e+15`},
		{"fields", "from,to,count\n/a,/b\n", nil, "t.csv:2: invalid input: 2 fields, want 3 (from,to,count)"},
		{"empty name", "/a,,1\n", nil, "t.csv:1: invalid input: empty name (from,to,count)"},
		{"quote", "/a,\"/b,1\n", nil, "t.csv:1: invalid input:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadTransitions(strings.NewReader(tc.in), "t.csv")
			if tc.err != "" {
				require.ErrorIs(t, err, ErrInput)
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestReadPanel(t *testing.T) {
	got, err := ReadPanel(strings.NewReader("user,item,time\nu1,/a,1700000000\nu1,/b,2024-01-02T03:04:05Z\nu2,/a,\n"), "p.csv")
	require.NoError(t, err)
	require.Equal(t, []NamedInteraction{{"u1", "/a", 1700000000, 2}, {"u1", "/b", 1704164645, 3}, {"u2", "/a", 0, 4}}, got)
	_, err = ReadPanel(strings.NewReader("u1,/a,1\nu1,/b,yesterday\n"), "p.csv")
	require.ErrorIs(t, err, ErrInput)
	require.ErrorContains(t, err, `p.csv:2: invalid input: time "yesterday" is neither Unix seconds nor RFC 3339`)
}

func TestIndex_Find(t *testing.T) {
	items := []catalog.Item{
		{ID: pack.StableID("post-1"), URL: "https://example.com/blog/a"},
		{ID: "b2", URL: "/blog/b"},
		{ID: "c3", URL: "https://example.com/x"},
		{ID: "d4", URL: "https://other.example.net/x"},
		{ID: "e5", URL: "https://example.com/docs/"},
		{ID: "f6", URL: "/y"},
		{ID: "g7", URL: "/y/"},
		{ID: "h8", URL: "https://example.com/z"},
		{ID: "i9", URL: "https://example.com/z/"},
	}
	x := NewIndex(items, pack.ReplacePrefix("https://old.example.com/", "https://example.com/"))
	for _, tc := range []struct {
		name string
		want int // -1: not found
	}{
		{"https://example.com/blog/a", 0},
		{"/blog/a", 0},                        // a log's path
		{"/blog/a?utm_source=rss#top", 0},     // query and fragment
		{"https://old.example.com/blog/a", 0}, // the build's rewrite
		{"post-1", 0},                         // publisher id
		{"/blog/b", 1},
		{"https://example.com/blog/b", 1}, // a full URL of a site-relative item
		{"b2", 1},                         // catalogue id
		{"/x", -1},                        // two items have this path
		{"https://other.example.net/x", 3},
		{"/about", -1},
		{"/blog/a/", 0},                         // a folder's index
		{"http://example.com/blog/b/?ref=1", 1}, // as a log's Referer gives it
		{"/docs", 4},                            // and the other way round
		{"/docs/", 4},
		{"/x/", -1}, // still two items
		{"/y", 5},   // a URL of its own is never taken by another's slash
		{"/y/", 6},
		{"/", -1},
		{"/z", 7}, // an item's own path before another's other slash
		{"/z/", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, ok := x.Find(tc.name)
			if tc.want < 0 {
				require.False(t, ok, "found %d", i)
				return
			}
			require.True(t, ok)
			require.Equal(t, tc.want, i)
		})
	}
}

// clusterCatalogue is a catalogue of 2×20 items whose text says which of
// two subjects each is about, with text vectors, and items 40 and 41 new
// (no counts).
func clusterCatalogue(t *testing.T) *catalog.Catalogue {
	t.Helper()
	words := [2]string{"sourdough bread flour oven baking yeast crust", "marathon running training pace shoes race miles"}
	var items []feed.Item
	for i := range 2*clusterSize + 2 {
		c := i % 2
		if i < 2*clusterSize {
			c = cluster(i)
		}
		items = append(items, feed.Item{
			ID: fmt.Sprint("item-", i), URL: fmt.Sprintf("https://example.com/p/%d", i),
			Title:     fmt.Sprintf("%s note %d", strings.Fields(words[c])[i%7], i),
			Text:      words[c],
			Published: time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC),
		})
	}
	c, err := pack.Build(items, catalog.Policy{}, pack.Options{Dim: 8})
	require.NoError(t, err)
	return c
}

// TestAttach_RoundTrip builds a catalogue with vectors learned from
// transition counts named by site path, sends it through core's codec and
// ranks with it: a reader of one subject gets that subject, and the new
// items, which have no counts, are mapped next to their subject.
func TestAttach_RoundTrip(t *testing.T) {
	c := clusterCatalogue(t)
	var csv strings.Builder
	csv.WriteString("from,to,count\n")
	for _, tr := range clusteredTransitions(3) {
		fmt.Fprintf(&csv, "/p/%d,/p/%d,%g\n", tr.From, tr.To, tr.Count)
	}
	csv.WriteString("/,/p/1,50\n/about,/p/2,3\n")
	counts, err := ReadTransitions(strings.NewReader(csv.String()), "t.csv")
	require.NoError(t, err)

	rep, err := Attach(c, Input{Transitions: counts}, nil, Options{Dim: 8})
	require.NoError(t, err)
	require.Equal(t, 2*clusterSize, rep.Learned)
	require.Equal(t, 2, rep.Mapped)
	require.Zero(t, rep.Without)
	require.Equal(t, 8+1+8, rep.Dim, "8, the mapping's error and the 8-d text")
	require.Equal(t, 8, rep.TextDims)
	require.EqualValues(t, DefaultTextWeightTransit, rep.TextWeight, "transitions alone: their default")
	require.Equal(t, len(counts)-2, rep.TransitionsUsed)
	require.Equal(t, 2, rep.Unknown)
	require.Equal(t, []string{"/", "/about"}, rep.Examples)

	b, _, err := pack.Encode(c)
	require.NoError(t, err)
	dec, err := catalog.Decode(b)
	require.NoError(t, err)
	require.Equal(t, 17, dec.Dim)
	require.Len(t, dec.Gram, 17*17)
	require.EqualValues(t, DefaultLambdaTransit, dec.Lambda)

	subject := func(id string) int {
		i, ok := dec.Find(id)
		require.True(t, ok)
		var n int
		_, err := fmt.Sscanf(dec.Items[i].URL, "https://example.com/p/%d", &n)
		require.NoError(t, err)
		if n >= 2*clusterSize {
			return n % 2
		}
		return cluster(n)
	}
	p := profile.New()
	require.NoError(t, p.SetConsent(profile.ConsentGranted))
	now := dec.Generated
	for _, n := range []int{0, 3, 5} {
		_, err := p.Track(dec, profile.Event{Item: pack.StableID(fmt.Sprint("item-", n)), Kind: profile.Like, Time: now}, now)
		require.NoError(t, err)
	}
	pol := dec.Policy
	pol.Weights = catalog.Weights{Similarity: 1}
	pol.Exploration, pol.Diversity = 0, 0
	dec.Policy = pol
	recs := rank.New(dec).Recommend(p, rank.Request{Count: 10, Now: now, Seed: 1})
	require.Len(t, recs, 10)
	for _, r := range recs {
		require.Equal(t, 0, subject(r.ID), "%s (%s) is about the reader's subject", r.ID, r.URL)
	}

	// The new items' nearest learned item is of their subject.
	for _, n := range []int{2 * clusterSize, 2*clusterSize + 1} {
		i, ok := dec.Find(pack.StableID(fmt.Sprint("item-", n)))
		require.True(t, ok)
		related := rank.New(dec).Recommend(profile.New(), rank.Request{Count: 3, Current: dec.Items[i].ID, Related: true, Now: now})
		require.NotEmpty(t, related)
		require.Equal(t, n%2, subject(related[0].ID), "new item %d is placed with its subject", n)
	}

	_, err = Attach(dec, Input{Transitions: counts}, nil, Options{})
	require.ErrorIs(t, err, ErrSupplied)
	_, err = Attach(clusterCatalogue(t), Input{Transitions: counts[len(counts)-2:]}, nil, Options{})
	require.ErrorIs(t, err, ErrNoData)
	require.ErrorContains(t, err, "no row names catalogue items (2 names are none)")
	_, err = Attach(clusterCatalogue(t), Input{}, nil, Options{})
	require.ErrorIs(t, err, ErrNoData)
	require.ErrorContains(t, err, "the input has no rows")
}

// TestTransitionsScript runs the shipped pipeline on a small access log, in
// the combined format and as Caddy's JSON, and checks that
// docs/catalogue.md shows it as it is. tests/publisher runs it on the logs
// of real servers that a browser has been reading through.
func TestTransitionsScript(t *testing.T) {
	for _, tool := range []string{"awk", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			// make test-deps installs jq; CI must run this test.
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed: run `make test-deps`", tool)
			}
			t.Skip(tool + " is not installed: run `make test-deps`")
		}
	}
	// method, path, status, referer: the combined lines' fields.
	requests := [][4]string{
		{"GET", "/blog/b", "200", "https://example.com/blog/a"},
		{"GET", "/blog/b?utm=x", "200", "http://example.com/blog/a?ref=1"},
		{"GET", "/blog/c", "304", "https://example.com/blog/b"},
		{"GET", "/blog/c", "200", "https://other.example.net/x"},
		{"GET", "/blog/c", "200", "https://example.com.evil.example/blog/a"},
		{"POST", "/blog/c", "200", "https://example.com/blog/a"},
		{"GET", "/blog/d", "404", "https://example.com/blog/a"},
		{"GET", "/blog/a", "200", "https://example.com/blog/a"},
		{"GET", "/blog/a", "200", "-"},
		{"GET", "/blog/e,f", "200", "https://example.com/blog/a"},
		// A page's own files name it as their Referer too.
		{"GET", "/hearth/hearth.3f2a9c1b.js", "200", "https://example.com/blog/a"},
		{"GET", "/static/Site.CSS?v=2", "200", "https://example.com/blog/a"},
		{"GET", "/img/a.jpeg", "304", "https://example.com/blog/a"},
		{"GET", "/favicon.ico", "200", "https://example.com/blog/b"},
	}
	var combined, caddy strings.Builder
	for i, r := range requests {
		fmt.Fprintf(&combined, "1.2.3.%d - - [10/Oct/2025:13:55:%02d +0000] \"%s %s HTTP/1.1\" %s 2326 \"%s\" \"Mozilla/5.0\"\n", i, i, r[0], r[1], r[2], r[3])
		headers := map[string][]string{"User-Agent": {"Mozilla/5.0"}}
		if r[3] != "-" {
			headers["Referer"] = []string{r[3]}
		}
		status, err := strconv.Atoi(r[2])
		require.NoError(t, err)
		line, err := json.Marshal(map[string]any{
			"level": "info", "ts": 1760104536.5 + float64(i), "logger": "http.log.access.log0", "msg": "handled request",
			"request": map[string]any{"remote_ip": "1.2.3.4", "proto": "HTTP/2.0", "method": r[0], "host": "example.com", "uri": r[1], "headers": headers},
			"status":  status, "size": 2326,
		})
		require.NoError(t, err)
		caddy.Write(append(line, '\n'))
	}
	for name, log := range map[string]string{"combined": combined.String(), "caddy": caddy.String(), "empty": ""} {
		cmd := exec.Command("sh", "transitions.sh", "example.com")
		cmd.Stdin = strings.NewReader(log)
		out, err := cmd.Output()
		require.NoError(t, err, name)
		if name == "empty" {
			require.Empty(t, out)
			continue
		}
		require.Equal(t, "/blog/a,/blog/b,2\n/blog/b,/blog/c,1\n", string(out), name)
		got, err := ReadTransitions(strings.NewReader(string(out)), "out")
		require.NoError(t, err)
		require.Len(t, got, 2)
	}

	script, err := os.ReadFile("transitions.sh")
	require.NoError(t, err)
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "catalogue.md"))
	require.NoError(t, err)
	i := strings.Index(string(script), "IFS=")
	require.Positive(t, i)
	body := string(script)[i:]
	require.True(t, strings.Contains(string(doc), body), "docs/catalogue.md shows the script's pipeline:\n%s", body)
}
