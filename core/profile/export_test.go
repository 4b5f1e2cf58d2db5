package profile

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImport reads what Plain writes back as the same profile, sorts
// interests in any order, and refuses another version, a missing one,
// oversized bytes and values Validate refuses, naming the problem.
func TestImport(t *testing.T) {
	p := fullProfile(t)
	b, err := p.Plain()
	require.NoError(t, err)
	q, err := Import(b)
	require.NoError(t, err)
	require.Equal(t, p, q)

	plain := func(edit func(*Profile)) []byte {
		p := fullProfile(t)
		edit(p)
		b, err := marshalMsg(p, nil)
		require.NoError(t, err)
		return b
	}
	reversed := plain(func(p *Profile) {
		for i, j := 0, len(p.Interests)-1; i < j; i, j = i+1, j-1 {
			p.Interests[i], p.Interests[j] = p.Interests[j], p.Interests[i]
		}
	})
	q, err = Import(reversed)
	require.NoError(t, err)
	require.Equal(t, p.Interests, q.Interests, "interests come sorted")

	tests := []struct {
		name string
		b    []byte
		err  error
		msg  string
	}{
		{"a newer version", plain(func(p *Profile) { p.Version = FormatVersion + 1 }), ErrVersion, "unsupported profile version 3 (this code imports 2)"},
		{"version 1", plain(func(p *Profile) { p.Version = 1 }), ErrVersion, "version 1"},
		{"no version", []byte("\x81\xa7cookies\xc3"), ErrInvalid, "no version"},
		{"too large", make([]byte, MaxBytes+1), ErrTooLarge, "limit"},
		{"a repeated topic", plain(func(p *Profile) { p.Interests = append(p.Interests, p.Interests[0]) }), ErrInvalid, "repeated"},
		{"variety out of range", plain(func(p *Profile) { p.Settings.Variety = 2 }), ErrInvalid, "settings.variety"},
		{"unknown kind", plain(func(p *Profile) { p.Events[0].Kind = 99 }), ErrInvalid, "events[0].kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Import(tt.b)
			require.Nil(t, q)
			require.ErrorIs(t, err, tt.err)
			require.ErrorContains(t, err, "import profile: ")
			require.ErrorContains(t, err, tt.msg)
		})
	}
}
