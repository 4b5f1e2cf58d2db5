package catalog

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPolicy_WithDefaults(t *testing.T) {
	def := Policy{}.WithDefaults()
	require.Equal(t, Policy{
		FreshnessHalfLifeDays: DefaultFreshnessHalfLifeDays,
		InterestHalfLifeDays:  DefaultInterestHalfLifeDays,
		Diversity:             DefaultDiversity,
		Exploration:           DefaultExploration,
		Weights:               DefaultWeights(),
		RetentionDays:         DefaultRetentionDays,
		MaxEvents:             DefaultMaxEvents,
		Consent:               ConsentOptIn,
		TopicReasonMin:        DefaultTopicReasonMin,
	}, def)
	require.NoError(t, def.Validate())
	require.Equal(t, def, def.WithDefaults(), "idempotent")

	set := Policy{FreshnessHalfLifeDays: 3, Diversity: 0.9, Weights: Weights{Similarity: 1}, RetentionDays: 7, MaxEvents: 50, Consent: ConsentOptOut}
	got := set.WithDefaults()
	require.Equal(t, float32(3), got.FreshnessHalfLifeDays)
	require.Equal(t, float32(0.9), got.Diversity)
	require.Equal(t, Weights{Similarity: 1}, got.Weights, "a set weight keeps the others at zero")
	require.Equal(t, 7, got.RetentionDays)
	require.Equal(t, 50, got.MaxEvents)
	require.Equal(t, ConsentOptOut, got.Consent)
	require.Equal(t, float32(DefaultInterestHalfLifeDays), got.InterestHalfLifeDays)
}

func TestPolicy_Validate(t *testing.T) {
	tests := []struct {
		name string
		p    Policy
		want string
	}{
		{"zero", Policy{}, ""},
		{"negative half-life", Policy{FreshnessHalfLifeDays: -1}, "fresh_hl: -1 out of"},
		{"NaN interest half-life", Policy{InterestHalfLifeDays: float32(math.NaN())}, "interest_hl: NaN"},
		{"diversity above 1", Policy{Diversity: 1.1}, "diversity: 1.1"},
		{"exploration negative", Policy{Exploration: -0.1}, "explore: -0.1"},
		{"weight too large", Policy{Weights: Weights{Topic: 11}}, "weights.topic: 11"},
		{"weight negative", Policy{Weights: Weights{Popularity: -1}}, "weights.pop: -1"},
		{"retention negative", Policy{RetentionDays: -1}, "retention: -1 days"},
		{"max events too large", Policy{MaxEvents: MaxEvents + 1}, "max_events: 10001"},
		{"consent unknown", Policy{Consent: "maybe"}, `consent: "maybe"`},
		{"reason_min above 1", Policy{TopicReasonMin: 1.5}, "reason_min: 1.5 out of [0, 1]"},
		{"cap without section", Policy{SectionCaps: []SectionCap{{Max: 1}}}, "caps: entry 0: empty section"},
		{"cap of zero", Policy{SectionCaps: []SectionCap{{Section: "news"}}}, `caps: entry 0 ("news"): max 0`},
		{"empty pinned id", Policy{Pinned: []string{"a", ""}}, "pinned: entry 1 is empty"},
		{"empty sensitive", Policy{Sensitive: []string{" "}}, "sensitive: entry 0 is empty"},
		{"hosts", Policy{Hosts: []string{"example.com", "News.Example.org", "[::1]"}}, ""},
		{"empty host", Policy{Hosts: []string{"example.com", ""}}, "hosts: entry 1 is empty"},
		{"host with a scheme", Policy{Hosts: []string{"https://example.com"}}, `hosts: entry 0 "https://example.com": want a host name`},
		{"host with a path", Policy{Hosts: []string{"example.com/blog"}}, "want a host name"},
		{"host with a port", Policy{Hosts: []string{"example.com:443"}}, "want a host name"},
		{"host with a user", Policy{Hosts: []string{"me@example.com"}}, "want a host name"},
		{"host escaped", Policy{Hosts: []string{"ex%61mple.com"}}, "want a host name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrPolicy)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}
