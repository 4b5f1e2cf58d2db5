//go:build hearthlean

package catalog

// The catalogue codec of builds tagged hearthlean (the wasm engine): the
// lean codec of wire.go, which produces and accepts the same bytes as the
// msgp-generated one without linking the msgp runtime. See codec_msgp.go.

// unmarshalMsg decodes b into c and returns the bytes after the catalogue;
// with owned set, c may keep b itself (see DecodeOwned).
func unmarshalMsg(c *Catalogue, b []byte, owned bool) ([]byte, error) { return readLean(c, b, owned) }

// marshalMsg appends the encoding of c to b.
func marshalMsg(c *Catalogue, b []byte) ([]byte, error) { return marshalLean(c, b), nil }
