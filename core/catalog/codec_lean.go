//go:build hearthlean

package catalog

// The catalogue codec of builds tagged hearthlean (the wasm engine): the
// lean codec of wire.go, which produces and accepts the same bytes as the
// msgp-generated one without linking the msgp runtime. See codec_msgp.go.

// unmarshalLimited decodes b into c within lim in one walk (readChecked).
func unmarshalLimited(c *Catalogue, b []byte, lim Limits, owned bool) error {
	return readChecked(c, b, lim, owned)
}

// marshalMsg appends the encoding of c to b.
func marshalMsg(c *Catalogue, b []byte) ([]byte, error) { return marshalLean(c, b), nil }
