package profile

import (
	"bytes"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCRC32C(t *testing.T) {
	table := crc32.MakeTable(crc32.Castagnoli)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 7, 8, 9, 64, 1000, 4099} {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		require.Equal(t, crc32.Checksum(b, table), crc32c(b), "%d bytes", n)
	}
	// The check value of the CRC-32C catalogue.
	require.Equal(t, uint32(0xe3069283), crc32c([]byte("123456789")))
}

func TestSeal_Open(t *testing.T) {
	for _, payload := range [][]byte{nil, {0x80}, []byte("any bytes at all")} {
		sealed := Seal(payload)
		require.True(t, Sealed(sealed))
		require.Len(t, sealed, len(payload)+sealSize)
		got, err := Open(sealed)
		require.NoError(t, err)
		require.Equal(t, payload, append([]byte(nil), got...))
	}
}

// TestProfile_EncodeSealed: Encode's bytes are the sealed MessagePack
// encoding, and Decode reads both them and the unsealed bytes that
// releases before the seal stored.
func TestProfile_EncodeSealed(t *testing.T) {
	p := fullProfile(t)
	b, err := p.Encode()
	require.NoError(t, err)
	require.True(t, Sealed(b))
	payload, err := Open(b)
	require.NoError(t, err)
	require.False(t, Sealed(payload), "an unsealed profile starts with a map")
	require.Equal(t, b, Seal(payload))

	unsealed, err := Decode(payload)
	require.NoError(t, err)
	again, err := unsealed.Encode()
	require.NoError(t, err)
	require.Equal(t, b, again, "an unsealed profile is encoded sealed")
}

// undetected returns the changes of b that Decode accepts or takes for a
// newer release's profile (which would be left alone for good instead of
// being set aside): each is a position and the byte put there.
func undetected(b []byte, changes func(yield func(i int, v byte))) [][2]int {
	var out [][2]int
	c := bytes.Clone(b)
	changes(func(i int, v byte) {
		c[i] = v
		if p, err := Decode(c); err == nil || errors.Is(err, ErrNewer) || p != nil {
			out = append(out, [2]int{i, int(v)})
		}
		c[i] = b[i]
	})
	return out
}

// TestOpen_DetectsEveryByteChange replaces every byte of a sealed profile
// by each of the 255 other values, and flips every bit and every pair of
// neighbouring bits: Decode refuses every one of them as corrupt. Unsealed,
// as Encode wrote it before the seal, 50,293 of the same profile's 87,975
// single-byte changes and 1,668 of its 2,760 bit flips decoded into a
// valid, wrong profile.
func TestOpen_DetectsEveryByteChange(t *testing.T) {
	b, err := fullProfile(t).Encode()
	require.NoError(t, err)
	_, err = Decode(b)
	require.NoError(t, err)

	everyValue := func(yield func(int, byte)) {
		for i := range b {
			for v := range 256 {
				if byte(v) != b[i] {
					yield(i, byte(v))
				}
			}
		}
	}
	require.Empty(t, undetected(b, everyValue), "single-byte changes Decode accepted")

	bitFlips := func(yield func(int, byte)) {
		for i := range b {
			for bit := range 8 {
				yield(i, b[i]^1<<bit)
				if bit < 7 {
					yield(i, b[i]^3<<bit)
				}
			}
		}
	}
	require.Empty(t, undetected(b, bitFlips), "bit flips Decode accepted")

	// A few changes of several bytes at once, at random (seeded): the
	// checksum misses one in 2³² of them.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		c := bytes.Clone(b)
		for range 2 + rng.IntN(6) {
			i := rng.IntN(len(c))
			c[i] ^= byte(1 + rng.IntN(255))
		}
		if bytes.Equal(c, b) {
			continue
		}
		_, err := Decode(c)
		require.Error(t, err)
		require.NotErrorIs(t, err, ErrNewer)
	}
}

func TestOpen_Errors(t *testing.T) {
	b, err := fullProfile(t).Encode()
	require.NoError(t, err)
	// A seal of a later release: its version byte, under a valid checksum.
	later := append([]byte{sealMagic, sealVersion + 1}, b[2:len(b)-4]...)
	later = appendChecksum(later)
	version0 := appendChecksum(append([]byte{sealMagic, 0}, b[2:len(b)-4]...))
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrCorrupt},
		{"header only", []byte{sealMagic, sealVersion}, ErrCorrupt},
		{"unsealed", b[2 : len(b)-4], ErrCorrupt},
		{"checksum cut", b[:len(b)-1], ErrCorrupt},
		{"later seal", later, ErrNewer},
		{"seal version 0", version0, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(tt.in)
			require.ErrorIs(t, err, tt.want)
			if tt.want != ErrNewer {
				require.NotErrorIs(t, err, ErrNewer)
			}
		})
	}
	_, err = Decode(later)
	require.ErrorIs(t, err, ErrNewer, "Decode passes a later seal on")
}

func FuzzOpen(f *testing.F) {
	b, err := fullProfile(f).Encode()
	require.NoError(f, err)
	f.Add(b)
	f.Add([]byte{})
	f.Add([]byte{sealMagic, sealVersion, 0, 0, 0, 0})
	f.Add(Seal([]byte{0x80}))
	f.Fuzz(func(t *testing.T, in []byte) {
		payload, err := Open(in)
		if err != nil {
			require.Nil(t, payload)
			return
		}
		// Only a sealed form opens, and sealing what it holds gives it back.
		require.Equal(t, in, Seal(payload))
		_, _ = Decode(in)
	})
}
