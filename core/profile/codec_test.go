package profile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fullProfile is a profile with every kind of event and every list.
func fullProfile(t testing.TB) *Profile {
	c := testCatalogue()
	p := granted()
	require.NoError(t, p.SetVariety(0.5))
	for k, ev := range []Event{
		{Item: "a", Kind: View}, {Item: "a", Kind: Read, Dwell: 42.5}, {Item: "b", Kind: Click},
		{Item: "b", Kind: Like}, {Item: "c", Kind: Dislike}, {Item: "f", Kind: Hide}, {Item: "c", Kind: Mute, Topic: "cooking"},
	} {
		_, err := p.Track(c, ev, t0.Add(time.Duration(k)*time.Hour).Unix())
		require.NoError(t, err)
	}
	return p
}

func TestProfile_EncodeDecode(t *testing.T) {
	p := fullProfile(t)
	b, err := p.Encode()
	require.NoError(t, err)
	got, err := Decode(b)
	require.NoError(t, err)
	again, err := got.Encode()
	require.NoError(t, err)
	require.Equal(t, b, again)
	require.Equal(t, p.Interests, got.Interests)
	require.Equal(t, p.Events, got.Events)
}
