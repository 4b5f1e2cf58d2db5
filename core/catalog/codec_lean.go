//go:build hearthlean

package catalog

// The catalogue encoder of builds tagged hearthlean (the wasm engine): the
// lean codec generated into catalog_lean_gen.go, which produces the same
// bytes as the msgp-generated one without linking the msgp runtime. See
// codec_msgp.go.

// marshalMsg appends the encoding of d to b.
func marshalMsg(d *document, b []byte) ([]byte, error) { return marshalLean(d, b), nil }
