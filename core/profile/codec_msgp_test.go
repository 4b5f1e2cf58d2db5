//go:build !hearthlean

package profile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire/wiretest"
)

func TestDecode_Errors(t *testing.T) {
	valid, err := fullProfile(t).Encode()
	require.NoError(t, err)
	encode := func(p *Profile) []byte {
		b, err := p.MarshalMsg(nil)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name    string
		in      []byte
		wantErr error
		want    string
	}{
		{"too large", make([]byte, MaxBytes+1), ErrTooLarge, ""},
		{"empty", nil, ErrCorrupt, ""},
		{"truncated", valid[:len(valid)-4], ErrCorrupt, ""},
		{"trailing", Seal(append(encode(fullProfile(t)), 0xc0)), ErrCorrupt, "trailing"},
		{"checksum", append(bytes.Clone(valid[:len(valid)-1]), valid[len(valid)-1]^1), ErrCorrupt, "checksum does not match"},
		{"no version", []byte{0x80}, ErrCorrupt, "no version"},
		{"future version", encode(&Profile{Version: 3}), ErrNewer, "3"},
		{"version 0", encode(&Profile{Version: 0}), ErrVersion, "0"},
		{"hostile events header", []byte{0x82, 0xa1, 'v', 0x02, 0xa6, 'e', 'v', 'e', 'n', 't', 's', 0xdd, 0x7f, 0xff, 0xff, 0xff}, ErrCorrupt, ""},
		{"unknown kind", encode(&Profile{Version: 2, Events: []Event{{Item: "a", Kind: 9}}}), ErrInvalid, "events[0].kind"},
		{"unsorted interests", encode(&Profile{Version: 2, Interests: []Interest{{Topic: "b", Weight: 1}, {Topic: "a", Weight: 1}}}), ErrInvalid, "interests[1].topic"},
		{"bad consent", encode(&Profile{Version: 2, Settings: Settings{Consent: "yes"}}), ErrInvalid, "settings.consent"},
		{"variety out of range", encode(&Profile{Version: 2, Settings: Settings{Variety: 2}}), ErrInvalid, "settings.variety"},
		{"too many credits", encode(&Profile{Version: 2, Events: []Event{{Item: "a", Kind: View, Credit: make([]Interest, MaxCredit+1)}}}), ErrTooLarge, "c has 65 entries"},
		{"empty read id", encode(&Profile{Version: 2, ReadItems: []string{""}}), ErrInvalid, "read[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Decode(tt.in)
			require.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr != ErrNewer {
				// Only a version above this code's is a newer release's.
				require.NotErrorIs(t, err, ErrNewer)
			}
			require.Nil(t, p)
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

// v1Fixture is the version-1 profile stored in testdata/profile-v1.msgpack.
func v1Fixture() *profileV1 {
	return &profileV1{
		Version: 1, Consent: true,
		Interests: map[string]float32{"wasm": 0.75, "go": 1.5},
		Events: []eventV1{
			{Item: "a", Kind: uint8(Read), Time: t0.Unix()},
			{Item: "b", Kind: uint8(Like), Time: t0.Add(time.Hour).Unix()},
		},
		ReadItems: []string{"a", "b"},
		Hidden:    []string{"c"},
		Updated:   t0.Add(time.Hour).Unix(),
	}
}

func TestDecode_MigratesV1(t *testing.T) {
	path := filepath.Join("testdata", "profile-v1.msgpack")
	if os.Getenv("HEARTH_UPDATE_GOLDEN") == "1" {
		b, err := v1Fixture().MarshalMsg(nil)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, b, 0o644))
	}
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	p, err := Decode(b)
	require.NoError(t, err)
	require.Equal(t, &Profile{
		Version:   FormatVersion,
		Settings:  Settings{Consent: ConsentGranted},
		Interests: []Interest{{Topic: "go", Weight: 1.5}, {Topic: "wasm", Weight: 0.75}},
		Events: []Event{
			{Item: "a", Kind: Read, Time: t0.Unix()},
			{Item: "b", Kind: Like, Time: t0.Add(time.Hour).Unix()},
		},
		ReadItems: []string{"a", "b"},
		Hidden:    []string{"c"},
		Updated:   t0.Add(time.Hour).Unix(),
	}, p)

	// A migrated profile is stored in the current version.
	out, err := p.Encode()
	require.NoError(t, err)
	again, err := Decode(out)
	require.NoError(t, err)
	require.Equal(t, p, again)

	// Forgetting a migrated event (which has no credit) keeps the interests.
	require.NoError(t, p.ForgetEvent(0))
	require.Equal(t, float32(1.5), interest(p, "go"))
}

func TestDecode_V1Invalid(t *testing.T) {
	old := v1Fixture()
	old.Events[0].Kind = 77
	b, err := old.MarshalMsg(nil)
	require.NoError(t, err)
	_, err = Decode(b)
	require.ErrorIs(t, err, ErrInvalid, "a migrated profile is validated like a current one")
}

func FuzzDecode(f *testing.F) {
	valid, err := fullProfile(f).Encode()
	require.NoError(f, err)
	f.Add(valid)
	v1, err := v1Fixture().MarshalMsg(nil)
	require.NoError(f, err)
	f.Add(v1)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Decode(b)
		if err != nil {
			require.Nil(t, p)
			return
		}
		require.NoError(t, p.Validate())
		out, err := p.Encode()
		require.NoError(t, err)
		again, err := Decode(out)
		require.NoError(t, err)
		require.Equal(t, p.Events, again.Events)
		// Whatever decodes can be exported and imported back.
		plain, err := p.Plain()
		require.NoError(t, err)
		q, err := Import(plain)
		require.NoError(t, err)
		require.Equal(t, p, q)
	})
}

// TestProfile_WriteCorpus refreshes the fuzz seed corpora under testdata/
// when HEARTH_UPDATE_GOLDEN=1; the seeds then run with every go test.
func TestProfile_WriteCorpus(t *testing.T) {
	if os.Getenv("HEARTH_UPDATE_GOLDEN") != "1" {
		t.Skip("set HEARTH_UPDATE_GOLDEN=1 to rewrite testdata/fuzz")
	}
	valid, err := fullProfile(t).Encode()
	require.NoError(t, err)
	v1, err := v1Fixture().MarshalMsg(nil)
	require.NoError(t, err)
	wiretest.WriteSeed(t, "FuzzDecode", "valid-v2", valid)
	wiretest.WriteSeed(t, "FuzzDecode", "valid-v1", v1)
	wiretest.WriteSeed(t, "FuzzDecode", "truncated-v2", valid[:len(valid)/2])
}
