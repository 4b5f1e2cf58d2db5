package rank

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

// TestEngine_Recommend_Golden ranks the fixture catalogue in every mode and
// compares with testdata/golden.json. Refresh it with HEARTH_UPDATE_GOLDEN=1
// after a deliberate change to the ranking, and review the diff.
func TestEngine_Recommend_Golden(t *testing.T) {
	c := fixture(t)
	e := New(c)
	folded := New(withGram(c, 0.5))
	p := reader(t, c)
	varied := reader(t, c)
	require.NoError(t, varied.SetVariety(1))
	scenarios := []struct {
		Name string
		e    *Engine
		p    *profile.Profile
		req  Request
	}{
		{"non-personal", e, nil, Request{Count: 6, Now: now.Unix()}},
		{"personal", e, p, Request{Count: 6, Now: now.Unix(), Seed: 1}},
		{"personal, explored slot", e, p, Request{Count: 6, Now: now.Unix(), Seed: 3}},
		{"personal, more variety", e, varied, Request{Count: 6, Now: now.Unix(), Seed: 1}},
		{"personal, on a page", e, p, Request{Count: 6, Now: now.Unix(), Seed: 1, Current: "wasm-threads"}},
		{"related", e, p, Request{Count: 4, Now: now.Unix(), Current: "privacy-gpc", Related: true}},
		{"related, no profile", e, nil, Request{Count: 4, Now: now.Unix(), Current: "privacy-gpc", Related: true}},
		{"fold-in", folded, p, Request{Count: 6, Now: now.Unix(), Seed: 1}},
	}
	type rec struct {
		ID      string
		Score   float64
		Reasons []Reason
	}
	type result struct {
		Name string
		Recs []rec
	}
	var got []result
	for _, sc := range scenarios {
		r := result{Name: sc.Name}
		for _, x := range sc.e.Recommend(sc.p, sc.req) {
			// Four decimals: the order and reasons are the contract,
			// the last bits of a float32 are not.
			r.Recs = append(r.Recs, rec{ID: x.ID, Score: math.Round(float64(x.Score)*1e4) / 1e4, Reasons: x.Reasons})
		}
		got = append(got, r)
	}
	out, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	out = append(out, '\n')
	path := filepath.Join("testdata", "golden.json")
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "1" {
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run with HEARTH_UPDATE_GOLDEN=1 to create it")
	require.Equal(t, string(want), string(out))
}
