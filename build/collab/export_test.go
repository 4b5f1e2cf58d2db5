package collab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/profile"
)

// export is a reader's export document with the given events and hidden
// list, in the form js/export.js writes.
func export(events, hidden string) string {
	return `{"format": "hearth-profile", "version": 2, "exported": "2026-03-01T12:05:00Z", "updated": "2026-03-01T12:00:00Z",
  "settings": {"consent": "granted", "variety": 0}, "interests": [{"topic": "go", "weight": 2}],
  "events": [` + events + `], "read": [], "hidden": [` + hidden + `], "muted": []}`
}

func TestExportItems(t *testing.T) {
	// The export format's golden file, as the engine and js/export.js
	// write it: one read, one mute.
	golden, err := os.ReadFile(filepath.Join("..", "..", "wasm", "bridge", "testdata", "export.golden.json"))
	require.NoError(t, err)
	items, err := ExportItems(golden)
	require.NoError(t, err)
	require.Equal(t, []string{"é"}, items)

	ev := func(item, kind string) string {
		return `{"item": "` + item + `", "kind": "` + kind + `", "time": "2026-03-01T12:00:00Z"}`
	}
	items, err = ExportItems([]byte(export(strings.Join([]string{
		ev("b", "view"), ev("a", "read"), ev("b", "like"),
		ev("c", "like"), ev("c", "dislike"), // nets to zero
		ev("d", "dislike"),
		ev("e", "click"), ev("e", "hide"), // hidden after
		ev("f", "read"),
		`{"kind": "mute", "time": "2026-03-01T12:00:00Z", "topic": "politics"}`,
	}, ","), `"e"`)))
	require.NoError(t, err)
	require.Equal(t, []string{"b", "a", "f"}, items, "positive items, in the order first met, less the hidden")

	for _, tc := range []struct{ name, doc, want string }{
		{"not JSON", "user,item,time\n", "invalid input: not a JSON export: invalid character 'u' looking for beginning of value"},
		{"another format", `{"format": "other", "version": 2}`, `invalid input: format "other", not a Hearth profile export ("hearth-profile")`},
		{"older version", strings.Replace(export("", ""), `"version": 2`, `"version": 1`, 1), "invalid input: profile version 1 (this build reads 2)"},
		{"unknown kind", export(ev("a", "share"), ""), `invalid input: events[0]: invalid profile data: unknown event kind "share"`},
		{"over the import limit", export("", "") + strings.Repeat(" ", profile.MaxJSONBytes), "invalid input: over 4194304 bytes, the import limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ExportItems([]byte(tc.doc))
			require.ErrorIs(t, err, ErrInput)
			require.EqualError(t, err, tc.want)
		})
	}
}
