package browserbench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSite_ServeHTTP(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "hearth.js"), []byte("export {};"), 0o644))
	other := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(other, "hearth.js"), []byte("export const b = 1;"), 0o644))
	site := NewSite(dir, "../../js")
	site.ServeB(other, "-b")
	srv := httptest.NewServer(site)
	defer srv.Close()

	tests := []struct {
		path     string
		status   int
		header   string // a header the response must carry
		contains string
	}{
		{PagePath("10k", 3), 200, "Content-Security-Policy", `src="/hearth/hearth.js" data-catalogue="/hearth/catalogue-10k.msgpack"`},
		{PagePath("10k", 4) + "&b=1", 200, "Content-Security-Policy", `src="/hearth-b/hearth.js" data-catalogue="/hearth/catalogue-10k-b.msgpack"`},
		{"/hearth-b/hearth.js", 200, "Etag", "export const b"},
		{"/bench/side/10k", 200, "Cross-Origin-Embedder-Policy", "Ranking 10k"},
		{"/bench/static/probe.js", 200, "Cross-Origin-Opener-Policy", "hearth:recommendations"},
		{"/bench/static/side-worker.js", 200, "Cross-Origin-Embedder-Policy", "hearthDispatch"},
		{"/bench/static/jsref/rank.js", 200, "Cross-Origin-Embedder-Policy", "export function recommend"},
		{"/bench/js/protocol.js", 200, "Cross-Origin-Embedder-Policy", "export function decode"},
		{"/hearth/hearth.js", 200, "Etag", "export"},
		{"/hearth/missing.wasm", 404, "", ""},
		{"/elsewhere", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tt.path)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			require.Equal(t, tt.status, resp.StatusCode)
			if tt.header != "" {
				require.NotEmpty(t, resp.Header.Get(tt.header))
			}
			require.Contains(t, string(body), tt.contains)
		})
	}
	reqs := site.Requests()
	require.Equal(t, 1, reqs["/hearth/hearth.js"])
	require.Equal(t, 2, reqs["/bench/load/10k"])
	require.Equal(t, 1, reqs["/hearth-b/hearth.js"])
	require.Empty(t, site.Requests(), "Requests resets the counts")
}

func TestSummarise(t *testing.T) {
	xs := make([]float64, 50)
	for i := range xs {
		xs[i] = float64(50 - i) // 50 … 1, unsorted on purpose
	}
	require.Equal(t, Stats{N: 50, Min: 1, Median: 26, P95: 48, Max: 50}, Summarise(xs))
	require.Equal(t, Stats{}, Summarise(nil))
}
