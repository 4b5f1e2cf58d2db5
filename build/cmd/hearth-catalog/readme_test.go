package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/build/assets"
	"github.com/hearth-dev/hearth/build/pack"
	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/hearth-dev/hearth/tests/httpbody"
	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/hearth-dev/hearth/web/serve"
)

// The README's placeholders, which a publisher replaces with their own feed
// and site; the test replaces them with a real feed and its site.
const (
	readmeFeed = "https://example.com/feed.xml"
	readmeSite = "https://example.com"
)

// embedItCommands returns the shell commands of the README's "Embed it"
// section, continuation lines joined and comments removed.
func embedItCommands(t *testing.T, readme string) [][]string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Embed it\n")
	require.True(t, ok, "README has no Embed it section")
	section, _, _ = strings.Cut(section, "\n## ")
	var cmds [][]string
	for _, block := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(section, -1) {
		text := strings.ReplaceAll(block[1], "\\\n", " ")
		for line := range strings.Lines(text) {
			line, _, _ = strings.Cut(line, "#")
			require.NotContains(t, line, `"`, "this test splits commands at spaces; quoted arguments need a real parser")
			require.NotContains(t, line, `'`, "this test splits commands at spaces; quoted arguments need a real parser")
			if f := strings.Fields(line); len(f) > 0 {
				cmds = append(cmds, f)
			}
		}
	}
	return cmds
}

// TestREADME_EmbedIt runs the commands of the README's "Embed it" section as
// written, in a fresh folder holding what a clone holds, with a real feed in
// place of the placeholder one: make assets as the asset pipeline, the
// hearth-catalog commands through run. Then what Hearth's handler sends for
// the catalogue must be the publisher's, and a later make assets must keep it.
func TestREADME_EmbedIt(t *testing.T) {
	feedPath := filepath.Join(shareddata.Dir(t, "feeds/rss-parser"), "guardian.rss")
	const feedSite = "https://www.theguardian.com"
	root, err := shareddata.Root()
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	cmds := embedItCommands(t, string(readme))
	require.NotEmpty(t, cmds)

	work := t.TempDir()
	example, err := os.ReadFile(filepath.Join(root, "build", "policy.example.json"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(work, "build"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(work, "build", "policy.example.json"), example, 0o644))
	t.Chdir(work)

	makeAssets := func(t *testing.T) *assets.Report {
		if testing.Short() {
			t.Log("make assets not run: -short (it builds the engine)")
			return nil
		}
		report, err := assets.Build("dist", assets.Options{Root: root, BrotliLevel: 1})
		require.NoError(t, err)
		return report
	}
	catalogues := 0
	for _, cmd := range cmds {
		line := strings.Join(cmd, " ")
		switch {
		case cmd[0] == "make":
			require.Len(t, cmd, 2, line)
			require.Regexp(t, "(?m)^"+regexp.QuoteMeta(cmd[1])+":", string(makefile), "%s: no such target in the Makefile", line)
			if cmd[1] == "assets" {
				makeAssets(t)
			}
		case len(cmd) >= 3 && cmd[0] == "go" && cmd[1] == "run" && cmd[2] == "./build/cmd/hearth-catalog":
			args := append([]string(nil), cmd[3:]...)
			for i, a := range args {
				switch a {
				case readmeFeed:
					args[i] = feedPath
				case readmeSite:
					args[i] = feedSite
				}
			}
			var stdout, stderr bytes.Buffer
			require.NoError(t, run(context.Background(), args, &stdout, &stderr), "%s\n%s", line, stderr.String())
			require.NotContains(t, stderr.String(), "are not on", "%s: the feed's URLs are on its site", line)
			if args[0] == "inspect" {
				require.Contains(t, stdout.String(), "catalogue.msgpack.br: decodes to it; sent by web/serve", line)
			} else {
				catalogues++
			}
		default:
			t.Fatalf("the README's Embed it section runs %q, which this test does not know how to run", line)
		}
	}
	require.NotZero(t, catalogues, "the section builds a catalogue")

	// What a browser gets: the publisher's catalogue, brotli-compressed.
	dir := filepath.Join("dist", serve.Dir)
	served := func(t *testing.T) []byte {
		t.Helper()
		enc, b := httpbody.Get(t, serve.New(os.DirFS(dir), serve.Options{}), "/"+serve.Catalogue)
		require.Equal(t, "br", enc)
		return b
	}
	b := served(t)
	c, err := catalog.Decode(b)
	require.NoError(t, err)
	require.NotEqual(t, assets.DemoID, c.ID)
	require.NotEmpty(t, c.Items)
	for _, it := range c.Items {
		require.True(t, strings.HasPrefix(it.URL, feedSite+"/"), it.URL)
	}
	want, err := pack.ReadPolicyFile(filepath.Join("build", "policy.example.json"))
	require.NoError(t, err)
	require.Equal(t, want.Weights, c.Policy.Weights, "the README's policy file is the one applied")

	t.Run("make assets afterwards keeps it", func(t *testing.T) {
		if report := makeAssets(t); report != nil {
			require.Equal(t, c.ID, report.Kept)
			require.Equal(t, b, served(t))
		}
	})
}
