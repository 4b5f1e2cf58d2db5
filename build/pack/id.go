package pack

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// idEncoding is lowercase base32 without padding: ids are safe in URLs,
// file names, HTML attributes and CSS selectors as they are.
var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// IDLength is the length of an item id: 12 base32 characters are 60 bits,
// so a million items collide with a chance of about one in two million (and
// a collision is refused, never merged).
const IDLength = 12

// StableID returns the catalogue id for a publisher's item key (a feed
// guid, a JSON Feed id, or the item's URL): the first [IDLength] characters
// of the base32 SHA-256 of the trimmed key. The same key always gives the
// same id, so readers' profiles survive rebuilds.
func StableID(key string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(key)))
	return idEncoding.EncodeToString(sum[:])[:IDLength]
}
