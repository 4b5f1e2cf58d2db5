// Package serve is the one HTTP handler for Hearth's static files: the
// loader, the Web Worker script, the wasm engine and the catalogue. The same
// handler runs in the local server and in the Cloudflare Worker, so a
// publisher gets the same bytes and the same headers wherever they host it.
//
// # What it guarantees
//
//   - Every reader gets the same response for the same URL: nothing in a
//     response depends on who asks, there are no cookies, and nothing about
//     a request (address, URL, headers) is logged.
//   - Correct types for the files Hearth ships: application/wasm (needed for
//     streaming compilation), text/javascript, application/vnd.msgpack and
//     application/json.
//   - A strong ETag per representation and 304 on If-None-Match.
//   - Content-hashed names (name.<hex>.ext, at least 8 hex digits) are cached
//     for a year as immutable; other names for a short time, then revalidated.
//   - Precompressed siblings (file.br, file.gz) are chosen by Accept-Encoding,
//     q-values included, with Vary: Accept-Encoding.
//   - CORS for everyone without credentials, so the files can live on a CDN
//     origin other than the publisher's pages.
//   - GET and HEAD only (OPTIONS answers a CORS preflight); no directory
//     listings, no hidden files, no paths that are not already clean.
//
// # Example
//
//	dist := os.DirFS("dist")
//	http.Handle("/hearth/", http.StripPrefix("/hearth", serve.New(dist, serve.Options{})))
package serve

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMaxAge is how long a browser or CDN may use a file whose name
// carries no content hash before revalidating it. Five minutes bounds how
// long a new catalogue or loader takes to reach readers.
const DefaultMaxAge = 5 * time.Minute

// immutableCacheControl is for content-hashed names: a new version gets a new
// name, so the old one never changes.
const immutableCacheControl = "public, max-age=31536000, immutable"

// ErrManifest means a list of precomputed entity tags is malformed.
var ErrManifest = errors.New("malformed etag manifest")

// Options configure the handler. The zero value is valid.
type Options struct {
	// MaxAge is the freshness lifetime of names without a content hash.
	// Zero means DefaultMaxAge; negative means revalidate on every use.
	MaxAge time.Duration
	// ETags are precomputed entity tags by file name, precompressed
	// siblings included, as returned by [ComputeETags]. Files missing from
	// it are hashed on first use. Hosts that build a handler per request
	// (the Cloudflare Worker starts a fresh Go runtime for each one) pass
	// them so that no request pays for hashing.
	ETags map[string]string
	// Warn, if set, is told once about each precompressed sibling the
	// handler refuses because it was not compressed from its original's
	// current bytes (see [SiblingIndex]). It never sees anything about a
	// request.
	Warn func(error)
}

// handler serves the files of one fs.FS.
type handler struct {
	fsys         fs.FS
	cacheControl string
	etags        map[string]string
	// hashed caches computed ETags; keys include size and modification
	// time so a file rebuilt on disk gets a new tag.
	hashed sync.Map
	// siblings checks precompressed files against their folder's index.
	siblings siblingCheck
}

// New returns the handler serving fsys with opts.
func New(fsys fs.FS, opts Options) http.Handler {
	maxAge := opts.MaxAge
	if maxAge == 0 {
		maxAge = DefaultMaxAge
	}
	cc := "no-cache"
	if maxAge > 0 {
		cc = "public, max-age=" + strconv.FormatInt(int64(maxAge/time.Second), 10) + ", must-revalidate"
	}
	return &handler{fsys: fsys, cacheControl: cc, etags: opts.ETags, siblings: siblingCheck{warn: opts.Warn}}
}

// Methods the handler answers; everything else gets 405 with this list.
const allow = "GET, HEAD, OPTIONS"

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	setCommon(hdr)
	switch r.Method {
	case http.MethodGet, http.MethodHead:
	case http.MethodOptions:
		preflight(w, r)
		return
	default:
		hdr.Set("Allow", allow)
		fail(w, http.StatusMethodNotAllowed)
		return
	}

	name, ok := fileName(r.URL.Path)
	if !ok {
		fail(w, http.StatusNotFound)
		return
	}
	info, err := fs.Stat(h.fsys, name)
	if err != nil || !info.Mode().IsRegular() || isSibling(h.fsys, name) {
		// Directories are not listed, and a precompressed sibling is a
		// representation of its base file, not a resource of its own.
		fail(w, http.StatusNotFound)
		return
	}

	served, encoding, info := h.choose(name, info, r.Header.Values("Accept-Encoding"))
	etag, err := h.etag(served, info)
	if err != nil {
		fail(w, http.StatusInternalServerError)
		return
	}

	hdr.Set("Vary", "Accept-Encoding")
	hdr.Set("ETag", etag)
	if isHashed(name) {
		hdr.Set("Cache-Control", immutableCacheControl)
	} else {
		hdr.Set("Cache-Control", h.cacheControl)
	}
	if noneMatch(r.Header.Values("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}

	hdr.Set("Content-Type", contentType(name))
	if encoding != "" {
		hdr.Set("Content-Encoding", encoding)
	}
	hdr.Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	f, err := h.fsys.Open(served)
	if err != nil {
		hdr.Del("Content-Encoding")
		hdr.Del("Content-Length")
		fail(w, http.StatusInternalServerError)
		return
	}
	defer f.Close()
	w.WriteHeader(http.StatusOK)
	// The status line is out: a read error can only cut the body short,
	// which the client sees as a length mismatch.
	_, _ = io.Copy(w, f)
}

// setCommon sets the headers every response carries, errors included.
func setCommon(hdr http.Header) {
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	// The files are public and the same for everyone, so any site may embed
	// them, including pages isolated with COEP require-corp; CORP
	// same-origin would break a catalogue or wasm on a CDN origin.
	hdr.Set("Cross-Origin-Resource-Policy", "cross-origin")
	// "*" never allows credentials, which is what Hearth wants: its
	// requests are made with credentials: 'omit'.
	hdr.Set("Access-Control-Allow-Origin", "*")
}

// preflight answers an OPTIONS request. Hearth's own fetches are simple
// requests that need no preflight; this serves integrators who add headers.
func preflight(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Allow", allow)
	if r.Header.Get("Access-Control-Request-Method") != "" {
		hdr.Set("Access-Control-Allow-Methods", "GET, HEAD")
		// Conditional and encoding headers are all a reader of static
		// files may need to send.
		hdr.Set("Access-Control-Allow-Headers", "If-None-Match, Accept-Encoding")
		hdr.Set("Access-Control-Max-Age", "86400")
	}
	hdr.Set("Cache-Control", "public, max-age=86400")
	hdr.Set("Content-Length", "0")
	w.WriteHeader(http.StatusNoContent)
}

// fail writes a short plain-text error. Errors are not cached for long so
// that a file published a moment later is found.
func fail(w http.ResponseWriter, code int) {
	hdr := w.Header()
	body := strconv.Itoa(code) + " " + http.StatusText(code) + "\n"
	hdr.Set("Content-Type", "text/plain; charset=utf-8")
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = io.WriteString(w, body)
}

// fileName maps a URL path to a name in the file system. Only paths that are
// already clean are accepted: a client with a legitimate URL never sends
// "..", "//" or a trailing slash, so there is nothing to redirect to.
func fileName(urlPath string) (string, bool) {
	if !strings.HasPrefix(urlPath, "/") {
		// http.StripPrefix with a trailing slash leaves relative paths.
		urlPath = "/" + urlPath
	}
	if urlPath == "/" || path.Clean(urlPath) != urlPath {
		return "", false
	}
	name := urlPath[1:]
	if !fs.ValidPath(name) || strings.ContainsAny(name, "\\\x00") {
		return "", false
	}
	for _, elem := range strings.Split(name, "/") {
		// Hidden files (.git, .env, build manifests) are never public.
		if strings.HasPrefix(elem, ".") {
			return "", false
		}
	}
	return name, true
}

// encodings are the precompressed siblings the handler looks for, in order
// of preference when a client accepts several equally.
var encodings = [...]struct{ token, ext string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// isSibling reports whether name is the precompressed sibling of a file
// that exists.
func isSibling(fsys fs.FS, name string) bool {
	for _, e := range encodings {
		if base, ok := strings.CutSuffix(name, e.ext); ok && base != "" {
			if info, err := fs.Stat(fsys, base); err == nil && info.Mode().IsRegular() {
				return true
			}
		}
	}
	return false
}

// choose picks the representation of name to send: the precompressed sibling
// with the highest q-value the client accepts, or name itself.
func (h *handler) choose(name string, info fs.FileInfo, acceptEncoding []string) (string, string, fs.FileInfo) {
	if len(acceptEncoding) == 0 {
		return name, "", info
	}
	accepted := parseAcceptEncoding(strings.Join(acceptEncoding, ","))
	best, bestQ := -1, 0.0
	for i, e := range encodings {
		q := accepted.q(e.token)
		if q <= bestQ {
			continue
		}
		if si, err := fs.Stat(h.fsys, name+e.ext); err == nil && si.Mode().IsRegular() && h.siblingOK(name, info, name+e.ext, si) {
			best, bestQ = i, q
		}
	}
	// Identity is always available; it wins only if the client prefers it
	// strictly, for example "gzip;q=0.5, identity".
	if best < 0 || accepted.identityQ() > bestQ {
		return name, "", info
	}
	e := encodings[best]
	si, _ := fs.Stat(h.fsys, name+e.ext)
	return name + e.ext, e.token, si
}

// acceptEncoding is a parsed Accept-Encoding header: coding → q-value.
type acceptEncoding map[string]float64

// parseAcceptEncoding parses "br;q=1.0, gzip;q=0.8, *;q=0" (RFC 9110 12.5.3).
// Malformed q-values count as 0 so that a broken header cannot select an
// encoding the client did not ask for.
func parseAcceptEncoding(s string) acceptEncoding {
	a := acceptEncoding{}
	for _, part := range strings.Split(s, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			q = qvalue(strings.TrimSpace(v))
		}
		if old, ok := a[coding]; !ok || q > old {
			a[coding] = q
		}
	}
	return a
}

// qvalue parses an RFC 9110 qvalue, ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "."
// 0*3("0") ] ), and returns 0 for anything else. A float parser is not
// enough: strconv.ParseFloat reads "nan", "inf", "1e-1", "0x1p-1" and
// "0.1234", and a NaN, false in every comparison, would win choose's.
func qvalue(s string) float64 {
	whole, frac, _ := strings.Cut(s, ".")
	if (whole != "0" && whole != "1") || len(frac) > 3 {
		return 0
	}
	thousandths := 0
	for i := range 3 {
		d := byte('0')
		if i < len(frac) {
			d = frac[i]
		}
		if d < '0' || d > '9' {
			return 0
		}
		thousandths = thousandths*10 + int(d-'0')
	}
	if whole == "1" {
		if thousandths != 0 {
			return 0
		}
		return 1
	}
	return float64(thousandths) / 1000
}

// q is the q-value of coding, falling back to "*".
func (a acceptEncoding) q(coding string) float64 {
	if q, ok := a[coding]; ok {
		return q
	}
	return a["*"]
}

// identityQ is the q-value of sending the file uncompressed: acceptable
// unless refused explicitly, but below any listed coding.
func (a acceptEncoding) identityQ() float64 {
	if q, ok := a["identity"]; ok {
		return q
	}
	return 0
}

// etag returns the strong entity tag of the file served: the first 128 bits
// of its SHA-256, so every representation (identity, br, gzip) has its own.
func (h *handler) etag(name string, info fs.FileInfo) (string, error) {
	if t, ok := h.etags[name]; ok {
		return t, nil
	}
	key := name + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10)
	if t, ok := h.hashed.Load(key); ok {
		return t.(string), nil
	}
	t, err := hashFile(h.fsys, name)
	if err != nil {
		return "", err
	}
	h.hashed.Store(key, t)
	return t, nil
}

// ComputeETag returns the entity tag the handler sends for the file name
// of fsys, in the form [Options.ETags] takes.
func ComputeETag(fsys fs.FS, name string) (string, error) {
	return hashFile(fsys, name)
}

// hashFile computes the entity tag of one file.
func hashFile(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum := sha256.New()
	if _, err := io.Copy(sum, f); err != nil {
		return "", err
	}
	return `"` + base64.RawURLEncoding.EncodeToString(sum.Sum(nil)[:16]) + `"`, nil
}

// ComputeETags returns the entity tag of every regular, non-hidden file in
// fsys, in the form [Options.ETags] takes.
func ComputeETags(fsys fs.FS) (map[string]string, error) {
	tags := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		t, err := hashFile(fsys, name)
		if err != nil {
			return err
		}
		tags[name] = t
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("compute etags: %w", err)
	}
	return tags, nil
}

// noneMatch reports whether an If-None-Match header matches etag. The
// comparison is weak (RFC 9110 13.1.2): W/"x" matches "x".
func noneMatch(values []string, etag string) bool {
	for _, v := range values {
		for _, t := range strings.Split(v, ",") {
			t = strings.TrimSpace(t)
			if t == "*" || strings.TrimPrefix(t, "W/") == etag {
				return true
			}
		}
	}
	return false
}

// isHashed reports whether the base name carries a content hash as one of
// its dot-separated parts: at least 8 lower-case hex digits, not the
// extension, for example hearth.3f2a9c1b.wasm or catalogue.0123abcd.msgpack.
func isHashed(name string) bool {
	parts := strings.Split(path.Base(name), ".")
	if len(parts) < 3 {
		return false
	}
	for _, p := range parts[1 : len(parts)-1] {
		if len(p) >= 8 && len(p) <= 64 && isLowerHex(p) {
			return true
		}
	}
	return false
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// types maps extensions to media types. A fixed table rather than
// mime.TypeByExtension, whose answers depend on the host's mime.types and
// would differ between the local server and the Worker.
var types = map[string]string{
	".wasm":    "application/wasm",
	".js":      "text/javascript; charset=utf-8",
	".mjs":     "text/javascript; charset=utf-8",
	".msgpack": "application/vnd.msgpack",
	".json":    "application/json",
	".map":     "application/json",
	".css":     "text/css; charset=utf-8",
	".html":    "text/html; charset=utf-8",
	".txt":     "text/plain; charset=utf-8",
	".md":      "text/markdown; charset=utf-8",
	".ts":      "text/plain; charset=utf-8",
	".svg":     "image/svg+xml",
	".png":     "image/png",
	".jpg":     "image/jpeg",
	".webp":    "image/webp",
	".avif":    "image/avif",
	".ico":     "image/x-icon",
	".woff2":   "font/woff2",
}

// contentType returns the media type of name by its extension;
// application/octet-stream when unknown, which nosniff keeps inert.
func contentType(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// MarshalETags encodes tags as text, one "name<TAB>etag" line per file,
// sorted by name, for hosts that ship precomputed tags beside the files.
// Names containing a tab or a newline cannot be encoded.
func MarshalETags(tags map[string]string) ([]byte, error) {
	names := make([]string, 0, len(tags))
	for name := range tags {
		if strings.ContainsAny(name, "\t\n") || strings.ContainsAny(tags[name], "\t\n") {
			return nil, fmt.Errorf("marshal etags: %q: %w", name, ErrManifest)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var b []byte
	for _, name := range names {
		b = append(b, name...)
		b = append(b, '\t')
		b = append(b, tags[name]...)
		b = append(b, '\n')
	}
	return b, nil
}

// UnmarshalETags decodes the output of [MarshalETags].
func UnmarshalETags(b []byte) (map[string]string, error) {
	tags := map[string]string{}
	n := 0
	for line := range strings.Lines(string(b)) {
		n++
		name, tag, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if !ok || name == "" || len(tag) < 2 || tag[0] != '"' || tag[len(tag)-1] != '"' {
			return nil, fmt.Errorf("unmarshal etags: line %d: %w", n, ErrManifest)
		}
		tags[name] = tag
	}
	return tags, nil
}
