package pack

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hearth-dev/hearth/core/catalog"
	"github.com/stretchr/testify/require"
)

func TestReadPolicy(t *testing.T) {
	full := `{
		"freshness_half_life_days": 10, "interest_half_life_days": 45, "diversity": 0.4, "exploration": 0.05,
		"weights": {"similarity": 1, "topic": 0.5, "freshness": 0.2, "popularity": 0.1},
		"section_caps": {"sport": 2, "news": 3},
		"pinned": ["https://example.com/a"], "excluded": ["b"], "sensitive": [" Health ", "Politics"],
		"retention_days": 60, "max_events": 300, "consent": "opt-out", "hosts": ["example.com"]}`
	p, err := ReadPolicy(strings.NewReader(full))
	require.NoError(t, err)
	require.Equal(t, catalog.Policy{
		FreshnessHalfLifeDays: 10, InterestHalfLifeDays: 45, Diversity: 0.4, Exploration: 0.05,
		Weights:       catalog.Weights{Similarity: 1, Topic: 0.5, Freshness: 0.2, Popularity: 0.1},
		SectionCaps:   []catalog.SectionCap{{Section: "news", Max: 3}, {Section: "sport", Max: 2}},
		Pinned:        []string{"https://example.com/a"},
		Excluded:      []string{"b"},
		Sensitive:     []string{"health", "politics"},
		RetentionDays: 60, MaxEvents: 300, Consent: catalog.ConsentOptOut,
		Hosts: []string{"example.com"},
	}, p)

	empty, err := ReadPolicy(strings.NewReader(`{}`))
	require.NoError(t, err)
	require.Equal(t, catalog.Policy{}, empty)

	tests := []struct{ name, in, field string }{
		{"unknown field", `{"freshness": 3}`, `"freshness"`},
		{"unknown nested field", `{"weights": {"sim": 1}}`, `"sim"`},
		{"wrong type", `{"diversity": "high"}`, "diversity"},
		{"diversity over 1", `{"diversity": 1.5}`, "diversity"},
		{"negative exploration", `{"exploration": -0.1}`, "exploration"},
		{"negative half-life", `{"freshness_half_life_days": -1}`, "freshness_half_life_days"},
		{"half-life too long", `{"interest_half_life_days": 100000}`, "interest_half_life_days"},
		{"weight too large", `{"weights": {"topic": 50}}`, "weights.topic"},
		{"cap below 1", `{"section_caps": {"news": 0}}`, "section_caps.news"},
		{"empty pinned entry", `{"pinned": ["a", " "]}`, "pinned[1]"},
		{"negative retention", `{"retention_days": -5}`, "retention_days"},
		{"too many events", `{"max_events": 1000000}`, "max_events"},
		{"consent", `{"consent": "maybe"}`, "consent"},
		{"empty host", `{"hosts": [""]}`, "hosts[0]"},
		{"host with a scheme", `{"hosts": ["https://example.com"]}`, "hosts: entry 0"},
		{"two documents", `{} {}`, "more than one"},
		{"not json", `diversity: 1`, "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadPolicy(strings.NewReader(tt.in))
			require.ErrorIs(t, err, catalog.ErrPolicy)
			require.Contains(t, err.Error(), tt.field)
		})
	}
}

func TestReadPolicyFile_Example(t *testing.T) {
	p, err := ReadPolicyFile("../policy.example.json")
	require.NoError(t, err, "the documented example must stay valid")
	require.NotEmpty(t, p.Sensitive)
	_, err = ReadPolicyFile("testdata/missing.json")
	require.Error(t, err)
}

// TestPolicyWeights_Fields checks that the policy file has a weight for
// each of the catalogue's, under the same name, which is how Policy,
// PolicyFileOf and CheckPolicy convert them: a score term's new weight in
// catalog.Weights fails here until the policy file has it too.
func TestPolicyWeights_Fields(t *testing.T) {
	ct, ft := reflect.TypeFor[catalog.Weights](), reflect.TypeFor[PolicyWeights]()
	require.Equal(t, ct.NumField(), ft.NumField())
	var w catalog.Weights
	v := reflect.ValueOf(&w).Elem()
	for i := range ct.NumField() {
		f, ok := ft.FieldByName(ct.Field(i).Name)
		require.True(t, ok, "PolicyWeights has no %s", ct.Field(i).Name)
		require.NotEmpty(t, f.Tag.Get("json"), f.Name)
		v.Field(i).SetFloat(float64(i+1) / 8)
	}
	f := fileWeights(w)
	require.Equal(t, w, f.catalogWeights(), "round trip")
	require.Equal(t, w, PolicyFile{Weights: f}.Policy().Weights)
	w.Topic = catalog.MaxWeight + 1
	require.ErrorContains(t, CheckPolicy(catalog.Policy{Weights: w}), "weights.topic")
}
