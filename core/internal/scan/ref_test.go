package scan

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// The reference's own errors; the walker's are core/wire's.
var (
	errTruncated = errors.New("msgpack: truncated")
	errMalformed = errors.New("msgpack: malformed")
)

// refWalker is the walker as it was when it parsed the bytes itself, with a
// case per type byte. FuzzWalk holds the walker on core/wire's Reader to it.
type refWalker struct {
	visit    Visitor
	maxDepth int
}

func (w *refWalker) value(b []byte, depth int, key []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, errTruncated
	}
	t := b[0]
	switch {
	case t <= 0x7f || t >= 0xe0:
		return b[1:], nil
	case t <= 0x8f:
		return w.container(b[1:], depth, key, int(t&0x0f), true)
	case t <= 0x9f:
		return w.container(b[1:], depth, key, int(t&0x0f), false)
	case t <= 0xbf:
		return skip(b[1:], int(t&0x1f))
	}
	switch t {
	case 0xc0, 0xc2, 0xc3:
		return b[1:], nil
	case 0xc4, 0xd9: // bin8, str8
		n, rest, err := length(b[1:], 1)
		if err != nil {
			return nil, err
		}
		return skip(rest, n)
	case 0xc5, 0xda:
		n, rest, err := length(b[1:], 2)
		if err != nil {
			return nil, err
		}
		return skip(rest, n)
	case 0xc6, 0xdb:
		n, rest, err := length(b[1:], 4)
		if err != nil {
			return nil, err
		}
		return skip(rest, n)
	case 0xc7, 0xc8, 0xc9: // ext: length, type byte, data
		n, rest, err := length(b[1:], 1<<(t-0xc7))
		if err != nil {
			return nil, err
		}
		return skip(rest, n+1)
	case 0xca:
		return skip(b[1:], 4)
	case 0xcb:
		return skip(b[1:], 8)
	case 0xcc, 0xd0:
		return skip(b[1:], 1)
	case 0xcd, 0xd1:
		return skip(b[1:], 2)
	case 0xce, 0xd2:
		return skip(b[1:], 4)
	case 0xcf, 0xd3:
		return skip(b[1:], 8)
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16 plus type byte
		return skip(b[1:], 1+(1<<(t-0xd4)))
	case 0xdc, 0xde:
		n, rest, err := length(b[1:], 2)
		if err != nil {
			return nil, err
		}
		return w.container(rest, depth, key, n, t == 0xde)
	case 0xdd, 0xdf:
		n, rest, err := length(b[1:], 4)
		if err != nil {
			return nil, err
		}
		return w.container(rest, depth, key, n, t == 0xdf)
	}
	return nil, errMalformed // 0xc1 is never used
}

func (w *refWalker) container(b []byte, depth int, key []byte, n int, isMap bool) ([]byte, error) {
	if depth >= w.maxDepth {
		return nil, ErrTooDeep
	}
	need := n
	if isMap {
		need = 2 * n
	}
	if need > len(b) {
		return nil, errMalformed
	}
	if w.visit != nil {
		if err := w.visit(depth, key, n, isMap); err != nil {
			return nil, err
		}
	}
	var err error
	for range n {
		if isMap {
			var k []byte
			k, b, err = mapKey(b)
			if err != nil {
				// Other keys are legal MessagePack; walk them as values.
				if b, err = w.value(b, depth+1, key); err != nil {
					return nil, err
				}
			} else {
				key = k
			}
		}
		if b, err = w.value(b, depth+1, key); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// visitRecord is one call of a Visitor.
type visitRecord struct {
	depth int
	key   string
	n     int
	isMap bool
}

// FuzzWalk requires the walker to return what the walker with a case per
// type returned, on any bytes: the same rest, the same verdict, the same
// visits in the same order, also when the visitor refuses.
func FuzzWalk(f *testing.F) {
	for _, seed := range [][]byte{
		{0x82, 0xa1, 'a', 0x92, 0x01, 0x91, 0x02, 0xa1, 'b', 0x81, 0xa1, 'c', 0x90},
		{0x81, 0xc4, 0x01, 'a', 0x91, 0x01},
		{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01},
		{0xc7, 0x02, 0x05, 1, 2, 0xd8, 0},
		{0xdb, 0x80, 0, 0, 0},
		{0x93, 0xc1},
	} {
		f.Add(seed, uint8(8), uint8(3))
	}
	f.Fuzz(func(t *testing.T, b []byte, maxDepth, refuseOver uint8) {
		record := func(got *[]visitRecord) Visitor {
			return func(depth int, key []byte, n int, isMap bool) error {
				*got = append(*got, visitRecord{depth, string(key), n, isMap})
				if n > int(refuseOver) {
					return errRefused
				}
				return nil
			}
		}
		var want, got []visitRecord
		ref := refWalker{visit: record(&want), maxDepth: int(maxDepth % 12)}
		wantRest, wantErr := ref.value(b, 0, nil)
		gotRest, gotErr := WalkFrom(b, 0, nil, int(maxDepth%12), record(&got))
		// The same verdict; a visitor's refusal is returned as it is, and
		// so is too deep nesting unless the bytes are also malformed
		// (the reference checks nesting before a header's count).
		require.Equal(t, wantErr == nil, gotErr == nil, "reference %v, walker %v", wantErr, gotErr)
		require.Equal(t, wantErr == errRefused, gotErr == errRefused, "reference %v, walker %v", wantErr, gotErr)
		if gotErr == ErrTooDeep {
			require.Equal(t, ErrTooDeep, wantErr)
		}
		require.Equal(t, wantRest, gotRest)
		require.Equal(t, want, got)
	})
}

var errRefused = errorString("refused")

type errorString string

func (e errorString) Error() string { return string(e) }

// mapKey reads a map key as the decoders do (msgp's ReadMapKeyZC): a str
// or a bin, whose bytes it returns; on any other type it returns b
// unchanged and a non-nil error.
func mapKey(b []byte) ([]byte, []byte, error) {
	if len(b) > 0 && b[0] >= 0xc4 && b[0] <= 0xc6 {
		n, rest, err := length(b[1:], 1<<(b[0]-0xc4))
		if err != nil || n > len(rest) {
			return nil, b, errMalformed
		}
		return rest[:n], rest[n:], nil
	}
	return str(b)
}

// str reads a string header and returns its bytes; on any other type it
// returns b unchanged and a non-nil error.
func str(b []byte) ([]byte, []byte, error) {
	if len(b) == 0 {
		return nil, b, errTruncated
	}
	var n int
	var rest []byte
	var err error
	switch t := b[0]; {
	case t >= 0xa0 && t <= 0xbf:
		n, rest = int(t&0x1f), b[1:]
	case t == 0xd9:
		n, rest, err = length(b[1:], 1)
	case t == 0xda:
		n, rest, err = length(b[1:], 2)
	case t == 0xdb:
		n, rest, err = length(b[1:], 4)
	default:
		return nil, b, errMalformed
	}
	if err != nil || n > len(rest) {
		return nil, b, errMalformed
	}
	return rest[:n], rest[n:], nil
}

// length reads a big-endian header length.
func length(b []byte, size int) (int, []byte, error) {
	if len(b) < size {
		return 0, nil, errTruncated
	}
	switch size {
	case 1:
		return int(b[0]), b[1:], nil
	case 2:
		return int(b[0])<<8 | int(b[1]), b[2:], nil
	}
	n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	if uint64(n) > math.MaxInt32 {
		return 0, nil, errMalformed
	}
	return int(n), b[4:], nil
}

func skip(b []byte, n int) ([]byte, error) {
	if n > len(b) {
		return nil, errTruncated
	}
	return b[n:], nil
}
