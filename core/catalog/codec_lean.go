//go:build hearthlean

package catalog

// The catalogue codec of builds tagged hearthlean (the wasm engine): the
// lean codec generated into catalog_lean_gen.go, which produces and accepts
// the same bytes as the msgp-generated one without linking the msgp
// runtime. See codec_msgp.go.

// unmarshalLimited decodes b within lim in one walk (readChecked).
func unmarshalLimited(b []byte, lim Limits, owned bool) (*Catalogue, error) {
	return readChecked(b, lim, owned)
}

// marshalMsg appends the encoding of d to b.
func marshalMsg(d *document, b []byte) ([]byte, error) { return marshalLean(d, b), nil }
