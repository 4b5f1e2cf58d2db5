//go:build !hearthlean

package catalog

// The catalogue codec of ordinary builds is the msgp-generated reference.
// Builds tagged hearthlean (the wasm engine) use the lean codec of wire.go
// instead, see codec_lean.go; they leave out catalog_gen.go, whose import of
// the msgp runtime would cost every reader about 250 KB of brotli.

// unmarshalLimited decodes b into c within lim: prescan first, since the
// generated decoder trusts array headers.
func unmarshalLimited(c *Catalogue, b []byte, lim Limits, owned bool) error {
	if err := prescan(b, lim); err != nil {
		return err
	}
	rest, err := unmarshalMsg(c, b, owned)
	switch {
	case err != nil:
		return corrupt(err)
	case len(rest) != 0:
		return trailing(len(rest))
	}
	return nil
}

// unmarshalMsg decodes b into c and returns the bytes after the catalogue.
// msgp copies what it reads whether or not the caller gives up b.
func unmarshalMsg(c *Catalogue, b []byte, _ bool) ([]byte, error) { return c.UnmarshalMsg(b) }

// marshalMsg appends the encoding of c to b.
func marshalMsg(c *Catalogue, b []byte) ([]byte, error) { return c.MarshalMsg(b) }
