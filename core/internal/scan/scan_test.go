package scan

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/core/wire"
)

func TestWalk(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		rest    int
		wantErr error
	}{
		{"positive fixint", []byte{0x05}, 0, nil},
		{"negative fixint", []byte{0xff}, 0, nil},
		{"nil and rest", []byte{0xc0, 0x01}, 1, nil},
		{"fixstr", []byte{0xa2, 'h', 'i'}, 0, nil},
		{"str8", []byte{0xd9, 0x01, 'x'}, 0, nil},
		{"bin16", []byte{0xc5, 0x00, 0x02, 1, 2}, 0, nil},
		{"float32", []byte{0xca, 0, 0, 0, 0}, 0, nil},
		{"float64", []byte{0xcb, 0, 0, 0, 0, 0, 0, 0, 0}, 0, nil},
		{"int64", []byte{0xd3, 0, 0, 0, 0, 0, 0, 0, 1}, 0, nil},
		{"fixext4", []byte{0xd6, 1, 0, 0, 0, 0}, 0, nil},
		{"ext8", []byte{0xc7, 0x02, 0x05, 1, 2}, 0, nil},
		{"fixmap", []byte{0x81, 0xa1, 'k', 0x01}, 0, nil},
		{"map with int key", []byte{0x81, 0x01, 0x02}, 0, nil},
		{"array16", []byte{0xdc, 0x00, 0x02, 0x01, 0x02}, 0, nil},
		{"empty", nil, 0, wire.ErrShortBytes},
		{"truncated string", []byte{0xa3, 'a'}, 0, wire.ErrShortBytes},
		{"truncated float", []byte{0xca, 0}, 0, wire.ErrShortBytes},
		{"never used byte", []byte{0xc1}, 0, wire.ErrType},
		{"array32 claims billions", []byte{0xdd, 0xff, 0xff, 0xff, 0xff, 0x01}, 0, wire.ErrShortBytes},
		{"map claims more than remains", []byte{0x82, 0xa1, 'k', 0x01}, 0, wire.ErrShortBytes},
		{"array elements truncated", []byte{0x92, 0xa5, 'a'}, 0, wire.ErrShortBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rest, err := Walk(tt.in, 8, nil)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Len(t, rest, tt.rest)
		})
	}
}

func TestWalk_Depth(t *testing.T) {
	nested := []byte{0x91, 0x91, 0x91, 0x01}
	_, err := Walk(nested, 3, nil)
	require.NoError(t, err)
	_, err = Walk(nested, 2, nil)
	require.ErrorIs(t, err, ErrTooDeep)
}

func TestWalk_Visitor(t *testing.T) {
	// {"a": [1, [2]], "b": {"c": []}}
	doc := []byte{0x82, 0xa1, 'a', 0x92, 0x01, 0x91, 0x02, 0xa1, 'b', 0x81, 0xa1, 'c', 0x90}
	type visit struct {
		depth int
		key   string
		n     int
		isMap bool
	}
	var got []visit
	_, err := Walk(doc, 8, func(depth int, key []byte, n int, isMap bool) error {
		got = append(got, visit{depth, string(key), n, isMap})
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []visit{
		{0, "", 2, true},
		{1, "a", 2, false},
		{2, "a", 1, false},
		{1, "b", 1, true},
		{2, "c", 0, false},
	}, got)
}

func TestWalk_BinKey(t *testing.T) {
	// {bin "a": [1]}: the decoders read a bin key as a field name, so the
	// visitor sees the array under it.
	doc := []byte{0x81, 0xc4, 0x01, 'a', 0x91, 0x01}
	var keys []string
	_, err := Walk(doc, 8, func(depth int, key []byte, n int, isMap bool) error {
		keys = append(keys, string(key))
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []string{"", "a"}, keys)
	_, err = Walk([]byte{0x81, 0xc4, 0x05, 'a', 0x01}, 8, nil)
	require.ErrorIs(t, err, wire.ErrShortBytes, "a bin key longer than the input")
}

func TestWalkFrom(t *testing.T) {
	// [[1]] found at depth 2 under "x": the visitor sees it there, and
	// nesting counts from there.
	type visit struct {
		depth int
		key   string
	}
	var got []visit
	rest, err := WalkFrom([]byte{0x91, 0x91, 0x01, 0xc0}, 2, []byte("x"), 8, func(depth int, key []byte, n int, isMap bool) error {
		got = append(got, visit{depth, string(key)})
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, []byte{0xc0}, rest)
	require.Equal(t, []visit{{2, "x"}, {3, "x"}}, got)
	_, err = WalkFrom([]byte{0x91, 0x91, 0x01}, 7, nil, 8, nil)
	require.ErrorIs(t, err, ErrTooDeep)
}
