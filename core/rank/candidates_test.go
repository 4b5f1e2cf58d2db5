package rank

import (
	"testing"

	"github.com/hearth-dev/hearth/core/profile"
	"github.com/stretchr/testify/require"
)

func TestState_Candidates(t *testing.T) {
	c := fixture(t)
	e := New(c)
	denied := reader(t, c)
	require.NoError(t, denied.SetConsent(profile.ConsentDenied))
	tests := []struct {
		name    string
		p       *profile.Profile
		current string
		blocked []string
		allowed []string
	}{
		{"no profile", nil, "", []string{"db-postgres"}, []string{"go-generics", "travel-lisbon", "cook-bread"}},
		{"current page", nil, "go-errors", []string{"db-postgres", "go-errors"}, []string{"go-generics"}},
		{"reader", reader(t, c), "wasm-gc", []string{
			"db-postgres",               // excluded by the policy
			"wasm-gc",                   // current page (also read)
			"go-generics", "go-modules", // read, viewed
			"cook-bread",                     // disliked: seen
			"db-indexeddb",                   // hidden
			"travel-lisbon", "travel-trains", // muted topic
		}, []string{"go-errors", "cook-pasta", "health-sleep"}},
		{"consent denied: the profile is not used", denied, "", []string{"db-postgres"}, []string{"go-generics", "travel-lisbon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := e.newState(tt.p, Request{Current: tt.current, Now: now.Unix()})
			for _, id := range tt.blocked {
				require.False(t, s.candidate(idx(t, c, id)), id)
			}
			for _, id := range tt.allowed {
				require.True(t, s.candidate(idx(t, c, id)), id)
			}
		})
	}
}
