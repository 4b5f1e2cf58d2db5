//go:build hearthlean

package catalog

// The catalogue codec of builds tagged hearthlean (the wasm engine): the
// lean codec of wire.go, which produces and accepts the same bytes as the
// msgp-generated one without linking the msgp runtime. See codec_msgp.go.

// unmarshalMsg decodes b into c and returns the bytes after the catalogue.
func unmarshalMsg(c *Catalogue, b []byte) ([]byte, error) { return unmarshalLean(c, b) }

// marshalMsg appends the encoding of c to b.
func marshalMsg(c *Catalogue, b []byte) ([]byte, error) { return marshalLean(c, b), nil }
