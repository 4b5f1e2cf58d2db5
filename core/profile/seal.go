package profile

import "github.com/hearth-dev/hearth/core/internal/errfmt"

// The stored form of a profile is sealed: a two-byte header, the profile's
// MessagePack bytes and a CRC-32C of everything before it, big-endian.
// Storage can damage bytes without failing (a disk, a sync, a browser bug,
// an extension), and most changes of a profile still decode into a valid,
// wrong profile: before the seal, 50,293 of the 87,975 one-byte changes of
// the 345-byte test profile did (TestOpen_DetectsEveryByteChange's profile,
// unsealed). A CRC-32 detects every change of one byte, indeed every burst
// of up to 32 bits, so a damaged profile is reported and set aside instead
// of being read wrong.
//
// The header's first byte, 0xc1, is the one byte MessagePack never uses,
// and an unsealed profile (as stored by releases before the seal) always
// starts with a map: Decode tells them apart, reads an unsealed profile
// once, and the bridge stores it again sealed. The second byte is the
// seal's version; a later release that changes what lies between header
// and checksum raises it, and this code then answers ErrNewer, once the
// checksum proved the byte is as written.
//
// The seal costs the engine 776 bytes of brotli (593,304 -> 594,080:
// hearth-size's brotli of hearth.wasm built with make assets' flags). The checksum is computed
// here rather than with hash/crc32, whose slicing-by-8, tables and
// sync.Once would cost 4,480 bytes more (598,560); TestCRC32C holds this
// loop to hash/crc32.
const (
	sealMagic   = 0xc1
	sealVersion = 1
	// sealSize is what sealing adds to a profile's bytes.
	sealSize = 2 + 4
)

// Seal returns the stored form of a profile's MessagePack bytes.
func Seal(b []byte) []byte {
	out := make([]byte, 0, len(b)+sealSize)
	out = append(out, sealMagic, sealVersion)
	return appendChecksum(append(out, b...))
}

// appendChecksum appends the CRC-32C of b, which starts with the seal's
// header and holds the profile's bytes.
func appendChecksum(b []byte) []byte {
	c := crc32c(b)
	return append(b, byte(c>>24), byte(c>>16), byte(c>>8), byte(c))
}

// Sealed reports whether b has the seal's header, as every profile stored
// since the seal has; bytes without it are an unsealed profile of an older
// release (or something else entirely).
func Sealed(b []byte) bool { return len(b) > 0 && b[0] == sealMagic }

// Open checks the seal of a stored profile and returns the profile's bytes
// inside it, which share b's memory. Errors wrap ErrCorrupt when the
// checksum does not match (or b is not sealed), and ErrNewer when a later
// release sealed it.
func Open(b []byte) ([]byte, error) {
	if len(b) < sealSize || b[0] != sealMagic {
		return nil, errfmt.Wrap("", ErrCorrupt, ": not sealed")
	}
	n := len(b) - 4
	want := uint32(b[n])<<24 | uint32(b[n+1])<<16 | uint32(b[n+2])<<8 | uint32(b[n+3])
	if crc32c(b[:n]) != want {
		// The two sums in hexadecimal would cost the engine 136 bytes of
		// brotli (strconv.FormatUint) and tell a reader nothing more.
		return nil, errfmt.Wrap("", ErrCorrupt, ": checksum does not match")
	}
	switch v := b[1]; {
	case v > sealVersion:
		return nil, errfmt.Wrap("", ErrNewer, ": seal version "+errfmt.Itoa(int(v)))
	case v < sealVersion:
		return nil, errfmt.Wrap("", ErrCorrupt, ": seal version 0")
	}
	return b[2:n], nil
}

// crcTable is the CRC-32C (Castagnoli) table, built on first use.
var crcTable [256]uint32

// crc32c is crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)), a byte at
// a time, from a table built on first use.
func crc32c(b []byte) uint32 {
	if crcTable[1] == 0 {
		for i := range crcTable {
			c := uint32(i)
			for range 8 {
				if c&1 != 0 {
					c = c>>1 ^ 0x82f63b78
				} else {
					c >>= 1
				}
			}
			crcTable[i] = c
		}
	}
	c := ^uint32(0)
	for _, x := range b {
		c = crcTable[byte(c)^x] ^ c>>8
	}
	return ^c
}
