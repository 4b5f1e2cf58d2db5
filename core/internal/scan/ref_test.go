package scan

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// refWalker is the walker as it was before value became table-driven: a
// case per type byte. FuzzWalk holds the table to it.
type refWalker struct {
	visit    Visitor
	maxDepth int
}

func (w *refWalker) value(b []byte, depth int, key []byte) ([]byte, error) {
	if len(b) == 0 {
		return nil, ErrTruncated
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
	return nil, ErrMalformed // 0xc1 is never used
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
		return nil, ErrMalformed
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

// FuzzWalk requires the table-driven walker to return what the walker with
// a case per type returned, on any bytes: the same rest, the same error,
// the same visits in the same order, also when the visitor refuses.
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
		require.Equal(t, wantErr, gotErr)
		require.Equal(t, wantRest, gotRest)
		require.Equal(t, want, got)
	})
}

var errRefused = errorString("refused")

type errorString string

func (e errorString) Error() string { return string(e) }
