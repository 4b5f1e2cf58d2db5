package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/build/feed"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

const items = `{"id": "a", "url": "https://example.com/a", "title": "Cats purr", "summary": "cats purr and nap", "tags": ["cats"], "published": "2024-01-01", "views": 10}
{"id": "b", "url": "https://example.com/b", "title": "Kittens nap", "summary": "kittens nap, cats purr", "tags": ["cats"], "published": "2024-01-02", "views": 100}
{"id": "c", "url": "https://example.com/c", "title": "Dogs bark", "summary": "dogs bark and fetch", "tags": ["dogs"], "published": "2024-01-03"}
{"id": "d", "url": "https://example.com/d", "title": "Puppies fetch", "summary": "puppies fetch, dogs bark", "tags": ["dogs"], "published": "2024-01-04"}
`

func write(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

func manifest(t *testing.T, path string) pack.Manifest {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var m pack.Manifest
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "items.jsonl", items)
	pol := write(t, dir, "policy.json", `{"pinned": ["https://example.com/c"], "consent": "opt-out"}`)
	out1, out2 := filepath.Join(dir, "one")+"/", filepath.Join(dir, "two")+"/"

	stdout, _, err := runCmd(t, "-in", in, "-policy", pol, "-out", out1, "-url-prefix", "https://example.com/=/posts/")
	require.NoError(t, err)
	require.Contains(t, stdout, "4 items")
	_, _, err = runCmd(t, "-policy", pol, "-out", out2, "-url-prefix", "https://example.com/=/posts/", in)
	require.NoError(t, err, "inputs may also be plain arguments")

	m1, m2 := manifest(t, out1+"catalogue.json"), manifest(t, out2+"catalogue.json")
	require.Equal(t, m1, m2, "the same input gives the same file")
	b, err := os.ReadFile(out1 + m1.Name)
	require.NoError(t, err)
	c, err := catalog.Decode(b)
	require.NoError(t, err)
	require.Equal(t, "/posts/d", c.Items[0].URL)
	require.Equal(t, []string{pack.StableID("c")}, c.Policy.Pinned)
	require.Equal(t, catalog.ConsentOptOut, c.Policy.Consent)
	require.Equal(t, "2024-01-04T00:00:00Z", m1.Generated)

	t.Run("fixed name, time and previous", func(t *testing.T) {
		fixed := filepath.Join(dir, "site", "catalogue.msgpack")
		require.NoError(t, os.MkdirAll(filepath.Dir(fixed), 0o755))
		_, _, err := runCmd(t, "-q", "-in", in, "-out", fixed, "-time", "2025-01-01T00:00:00Z", "-previous", out1+m1.Name, "-no-vectors")
		require.NoError(t, err)
		m := manifest(t, filepath.Join(dir, "site", "catalogue.json"))
		require.Equal(t, "catalogue.msgpack", m.Name)
		require.Equal(t, "2025-01-01T00:00:00Z", m.Generated)
	})
	t.Run("text only with -merge or -keep-text", func(t *testing.T) {
		read := func(path string) *catalog.Catalogue {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			c, err := catalog.Decode(b)
			require.NoError(t, err)
			return c
		}
		require.Empty(t, c.Items[0].Summary, "by default the catalogue carries no summaries")
		require.Empty(t, c.Items[0].Terms)
		for _, flags := range [][]string{{"-merge"}, {"-keep-text"}} {
			path := filepath.Join(dir, "text"+flags[0]+".msgpack")
			_, _, err := runCmd(t, append([]string{"-q", "-in", in, "-out", path}, flags...)...)
			require.NoError(t, err)
			it := read(path).Items[0]
			require.Equal(t, "puppies fetch, dogs bark", it.Summary, flags)
			require.NotEmpty(t, it.Terms, flags)
		}
		path := filepath.Join(dir, "omitted.msgpack")
		_, _, err := runCmd(t, "-q", "-in", in, "-out", path, "-merge", "-omit-text")
		require.NoError(t, err)
		require.Empty(t, read(path).Items[0].Summary)
		_, _, err = runCmd(t, "-q", "-in", in, "-out", path, "-keep-text", "-omit-text")
		require.ErrorIs(t, err, pack.ErrOptions)

		// A merge from a catalogue without text says what it loses.
		_, stderr, err := runCmd(t, "-q", "-in", in, "-out", path, "-previous", out1+m1.Name, "-merge")
		require.NoError(t, err)
		require.Contains(t, stderr, "warning: -previous")
		require.Contains(t, stderr, "titles alone")
		_, stderr, err = runCmd(t, "-q", "-in", in, "-out", path, "-previous", filepath.Join(dir, "text-merge.msgpack"), "-merge")
		require.NoError(t, err)
		require.NotContains(t, stderr, "warning")
	})
	t.Run("synthetic", func(t *testing.T) {
		stdout, _, err := runCmd(t, "-synthetic", "300", "-out", filepath.Join(dir, "syn")+"/", "-brotli")
		require.NoError(t, err)
		require.Contains(t, stdout, "300 items")
		require.Contains(t, stdout, "brotli:")
	})
}

func TestRun_Refused(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "items.jsonl", items)
	broken := write(t, dir, "broken.jsonl", items+`{"title": "no link"}`+"\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", nil, "no input"},
		{"unknown policy field", []string{"-in", in, "-policy", write(t, dir, "p1.json", `{"diversty": 0.2}`)}, `unknown field "diversty"`},
		{"policy out of range", []string{"-in", in, "-policy", write(t, dir, "p2.json", `{"exploration": 3}`)}, "exploration"},
		{"unknown pinned item", []string{"-in", in, "-policy", write(t, dir, "p3.json", `{"pinned": ["https://example.com/zzz"]}`)}, "pinned[0]"},
		{"refused item", []string{"-in", broken}, "broken.jsonl: item 5"},
		{"bad time", []string{"-in", in, "-time", "yesterday"}, "-time"},
		{"bad prefix", []string{"-in", in, "-url-prefix", "nothing"}, "old=new"},
		{"missing previous", []string{"-in", in, "-previous", filepath.Join(dir, "none.msgpack")}, "-previous"},
		{"bad gram", []string{"-in", in, "-gram", write(t, dir, "g.txt", "1 x")}, "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, append(tt.args, "-out", t.TempDir())...)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}

	t.Run("a refusal says how many items are refused, and why", func(t *testing.T) {
		_, _, err := runCmd(t, "-in", broken, "-out", t.TempDir())
		require.ErrorIs(t, err, feed.ErrNoID)
		require.Contains(t, err.Error(), "\nrefused: 1 of 5 items (1 no id, guid or link); -lenient skips them with a warning each and builds from the other 4")

		allBad := write(t, dir, "bad.jsonl", `{"url": "https://example.com/a", "title": "A", "published": "someday"}`+"\n"+
			`{"url": "https://example.com/b", "title": "B", "published": "later"}`+"\n"+`{"title": "no link"}`+"\n")
		_, _, err = runCmd(t, "-in", allBad, "-out", t.TempDir())
		require.ErrorIs(t, err, feed.ErrBadDate)
		require.Contains(t, err.Error(), "\nrefused: 3 of 3 items (2 published: date not understood, 1 no id, guid or link)")
		require.NotContains(t, err.Error(), "-lenient")
	})

	t.Run("lenient skips with a warning", func(t *testing.T) {
		stdout, stderr, err := runCmd(t, "-lenient", "-in", broken, "-out", t.TempDir())
		require.NoError(t, err)
		require.Contains(t, stdout, "4 items")
		require.True(t, strings.Contains(stderr, "warning: broken.jsonl: item 5"), stderr)
	})
}

func TestRun_Inspect(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "items.jsonl", items)
	pol := write(t, dir, "policy.json", `{"consent": "opt-out", "sensitive": ["health"], "weights": {"similarity": 1, "topic": 0.5, "freshness": 0.25, "popularity": 0.25}}`)
	path := filepath.Join(dir, "catalogue.msgpack")
	_, _, err := runCmd(t, "-q", "-in", in, "-policy", pol, "-out", path)
	require.NoError(t, err)

	stdout, _, err := runCmd(t, "inspect", path)
	require.NoError(t, err)
	for _, want := range []string{
		"4 items, 2 topics",
		pack.StableID("d") + "  2024-01-04  Puppies fetch  dogs    https://example.com/d",
		pack.StableID("a") + "  2024-01-01  Cats purr      cats    https://example.com/a",
		`"consent": "opt-out"`, `"sensitive": [`, `"similarity": 1,`, `"pinned": [],`,
		"catalogue.msgpack.br: decodes to it; sent by web/serve",
		"catalogue.msgpack.gz: decodes to it; sent by web/serve",
		"URLs      https://example.com 4",
		"fold-in   none: a reader's vector is the weighted mean of their items' vectors",
		`reasons   "You follow" a topic when the item weighs it at least 1 (a publisher's tag weighs 1)`,
	} {
		require.Contains(t, stdout, want)
	}

	t.Run("json", func(t *testing.T) {
		stdout, _, err := runCmd(t, "inspect", "-json", path)
		require.NoError(t, err)
		var v struct {
			ID       string
			Bytes    int
			Siblings []struct {
				Name, Encoding string
				Bytes          int
				Matches, Sent  bool
			}
			Policy    pack.PolicyFile
			Learned   bool
			ReasonMin float32 `json:"topic_reason_min"`
			Items     []struct {
				ID, URL, Title, Published string
				Topics                    []string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(stdout), &v))
		m := manifest(t, filepath.Join(dir, "catalogue.json"))
		require.Equal(t, m.Bytes, v.Bytes)
		require.Len(t, v.Siblings, 2)
		require.Equal(t, m.Siblings[0].Bytes, v.Siblings[0].Bytes)
		require.True(t, v.Siblings[0].Matches && v.Siblings[0].Sent)
		require.Equal(t, catalog.ConsentOptOut, v.Policy.Consent)
		require.Equal(t, float32(0.5), v.Policy.Weights.Topic)
		require.False(t, v.Learned, "text vectors carry no YᵀY")
		require.Equal(t, float32(1), v.ReasonMin)
		require.Len(t, v.Items, 4)
		require.Equal(t, "https://example.com/d", v.Items[0].URL)
		require.Equal(t, []string{"dogs"}, v.Items[0].Topics)
		require.Equal(t, "2024-01-04T00:00:00Z", v.Items[0].Published)

		// The policy it prints is a policy file that builds the same policy.
		b, err := json.Marshal(v.Policy)
		require.NoError(t, err)
		p2 := write(t, dir, "policy2.json", string(b))
		again := filepath.Join(dir, "again.msgpack")
		_, _, err = runCmd(t, "-q", "-in", in, "-policy", p2, "-out", again)
		require.NoError(t, err)
		require.Equal(t, m.SHA256, manifest(t, filepath.Join(dir, "again.json")).SHA256)
	})
	t.Run("a catalogue copied over by hand", func(t *testing.T) {
		other := filepath.Join(dir, "other.msgpack")
		_, _, err := runCmd(t, "-q", "-in", in, "-out", other, "-no-vectors")
		require.NoError(t, err)
		b, err := os.ReadFile(other)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, b, 0o644))
		stdout, _, err := runCmd(t, "inspect", path)
		require.NoError(t, err)
		require.Contains(t, stdout, "catalogue.msgpack.br: STALE: decodes to other bytes; not sent by web/serve")
	})
	t.Run("usage", func(t *testing.T) {
		_, _, err := runCmd(t, "inspect")
		require.ErrorContains(t, err, "one catalogue file")
		_, _, err = runCmd(t, "inspect", filepath.Join(dir, "items.jsonl"))
		require.ErrorIs(t, err, catalog.ErrCorrupt)
	})
}

const proxied = `{"id": "a", "url": "https://feedproxy.example.net/blog/a", "title": "Cats purr", "published": "2024-01-01"}
{"id": "b", "url": "https://feedproxy.example.net/blog/b", "title": "Kittens nap", "published": "2024-01-02"}
{"id": "c", "url": "https://example.com/blog/c", "title": "Dogs bark", "published": "2024-01-03"}
{"id": "d", "url": "http://example.com/blog/d", "title": "Puppies fetch", "published": "2024-01-04"}
`

func TestRun_Site(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "items.jsonl", proxied)
	_, stderr, err := runCmd(t, "-q", "-in", in, "-site", "https://example.com", "-out", t.TempDir())
	require.NoError(t, err, "a warning, not a failure")
	require.Contains(t, stderr, "warning: 2 of 4 item URLs are not on https://example.com: they start with https://feedproxy.example.net/blog/ "+
		"(for example https://feedproxy.example.net/blog/b). Add -url-prefix https://feedproxy.example.net/blog/=https://example.com/blog/")
	require.Contains(t, stderr, "warning: 1 of 4 item URLs are not on https://example.com: they start with http://example.com/blog/")

	_, stderr, err = runCmd(t, "-q", "-in", in, "-site", "https://example.com", "-out", t.TempDir(),
		"-url-prefix", "https://feedproxy.example.net/blog/=https://example.com/blog/",
		"-url-prefix", "http://example.com/=https://example.com/")
	require.NoError(t, err)
	require.NotContains(t, stderr, "warning")

	_, _, err = runCmd(t, "-q", "-in", in, "-site", "example.com", "-out", t.TempDir())
	require.ErrorIs(t, err, pack.ErrSite)

	out := filepath.Join(dir, "c.msgpack")
	_, _, err = runCmd(t, "-q", "-in", in, "-out", out)
	require.NoError(t, err)
	stdout, _, err := runCmd(t, "inspect", "-site", "https://example.com", out)
	require.NoError(t, err)
	require.Contains(t, stdout, "warning: 2 of 4 item URLs are not on https://example.com")
}
