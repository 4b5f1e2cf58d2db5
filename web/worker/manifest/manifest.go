// Package manifest lets web/serve's handler answer for files whose bytes it
// does not hold. Hearth's Cloudflare Worker keeps the files as Workers static
// assets, outside its WebAssembly module (which must stay under the free
// plan's 3 MiB), and embeds only this manifest of them: each file's size and
// entity tag, plus the folders' sibling indexes. The handler decides every
// status and header from that, exactly as it would over the files; where it
// would send a file's bytes, [Record] returns the file's name instead, and
// the Worker's JavaScript entry streams that static asset as the body.
//
// # Protocol
//
// web/worker/index.mjs is the other half: it reads the name from the
// [AssetHeader] response header, removes the header and fetches the asset
// through the static-assets binding. Both halves change together.
//
// # Example
//
//	files, _ := manifest.Unmarshal(b)
//	h := serve.New(manifest.NewFS(files, indexes), serve.Options{ETags: manifest.ETags(files)})
//	res := manifest.Record(h, req) // res.Asset is "hearth/hearth.wasm.br", res.Body empty
package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-dev/hearth/web/serve"
)

// Name is the manifest's file name in the Worker's embedded folder: hidden,
// so the handler would never serve it.
const Name = ".assets"

// AssetHeader carries, from the Go handler to the JavaScript entry, the
// escaped URL path of the static asset to send as the body. The entry
// removes it; clients never see it.
const AssetHeader = "Hearth-Asset"

// ErrManifest means a manifest is malformed.
var ErrManifest = errors.New("malformed asset manifest")

// ErrNoBytes is returned by reading a manifest file: its bytes are a static
// asset, sent by the JavaScript entry, never read in Go.
var ErrNoBytes = errors.New("manifest: file bytes are a static asset")

// File is what the handler needs to know of a served file.
type File struct {
	Size int64
	// ETag is the file's entity tag as serve.ComputeETag returns it.
	ETag string
}

// Marshal encodes files (slash-separated name → File) as text, one
// "name<TAB>size<TAB>etag" line per file, sorted by name.
func Marshal(files map[string]File) ([]byte, error) {
	names := make([]string, 0, len(files))
	for name, f := range files {
		if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\t\n") || f.Size < 0 || !validTag(f.ETag) {
			return nil, fmt.Errorf("marshal manifest: %q: %w", name, ErrManifest)
		}
		names = append(names, name)
	}
	slices.Sort(names)
	var b bytes.Buffer
	for _, name := range names {
		f := files[name]
		fmt.Fprintf(&b, "%s\t%d\t%s\n", name, f.Size, f.ETag)
	}
	return b.Bytes(), nil
}

// Unmarshal decodes the output of [Marshal].
func Unmarshal(b []byte) (map[string]File, error) {
	files := map[string]File{}
	n := 0
	for line := range strings.Lines(string(b)) {
		n++
		f := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
		if len(f) != 3 || !fs.ValidPath(f[0]) || f[0] == "." || !validTag(f[2]) {
			return nil, fmt.Errorf("unmarshal manifest: line %d: %w", n, ErrManifest)
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("unmarshal manifest: line %d: %w", n, ErrManifest)
		}
		files[f[0]] = File{Size: size, ETag: f[2]}
	}
	return files, nil
}

// validTag reports whether t is a quoted entity tag with no tab or newline.
func validTag(t string) bool {
	return len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' && !strings.ContainsAny(t, "\t\n")
}

// Scan returns the manifest of every file the handler may serve from fsys:
// its regular files outside hidden names, as serve.ComputeETags lists them.
func Scan(fsys fs.FS) (map[string]File, error) {
	tags, err := serve.ComputeETags(fsys)
	if err != nil {
		return nil, fmt.Errorf("scan: %w", err)
	}
	files := make(map[string]File, len(tags))
	for name, tag := range tags {
		info, err := fs.Stat(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("scan: %w", err)
		}
		files[name] = File{Size: info.Size(), ETag: tag}
	}
	return files, nil
}

// ETags returns the files' entity tags in the form serve.Options.ETags takes.
func ETags(files map[string]File) map[string]string {
	tags := make(map[string]string, len(files))
	for name, f := range files {
		tags[name] = f.ETag
	}
	return tags
}

// NewFS returns an fs.FS holding the manifest's files, of their sizes but
// without their bytes, over other: any other name (the sibling indexes the
// handler reads) is opened in other.
func NewFS(files map[string]File, other fs.FS) fs.FS {
	return &assetFS{files: files, other: other}
}

type assetFS struct {
	files map[string]File
	other fs.FS
}

func (a *assetFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if f, ok := a.files[name]; ok {
		return &assetFile{info: assetInfo{name: name, size: f.Size}}, nil
	}
	return a.other.Open(name)
}

// assetFile is an open manifest file: stat-able, not readable.
type assetFile struct{ info assetInfo }

func (f *assetFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *assetFile) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: f.info.name, Err: ErrNoBytes}
}
func (f *assetFile) Close() error { return nil }

// assetInfo describes a manifest file. Its modification time is zero, as
// in an embed.FS: the handler's tags are precomputed and need none.
type assetInfo struct {
	name string
	size int64
}

func (i assetInfo) Name() string       { return path.Base(i.name) }
func (i assetInfo) Size() int64        { return i.size }
func (i assetInfo) Mode() fs.FileMode  { return 0o444 }
func (i assetInfo) ModTime() time.Time { return time.Time{} }
func (i assetInfo) IsDir() bool        { return false }
func (i assetInfo) Sys() any           { return nil }

// Response is a handler's answer as [Record] captured it.
type Response struct {
	Status int
	Header http.Header
	// Body is what the handler wrote itself (its short error messages).
	Body []byte
	// Asset is the slash-separated name of the manifest file the handler
	// sent as the body, or "" when it sent none (HEAD, 304, errors).
	Asset string
}

// Record runs h for r and captures its response. A manifest file the
// handler copies into the response becomes Asset; its bytes are never read.
func Record(h http.Handler, r *http.Request) *Response {
	rec := &recorder{res: Response{Header: http.Header{}}}
	h.ServeHTTP(rec, r)
	if rec.res.Status == 0 {
		rec.res.Status = http.StatusOK
	}
	rec.res.Body = rec.body.Bytes()
	return &rec.res
}

// Write sends res on w. The asset to stream, if any, is named in
// AssetHeader as an escaped URL path.
func (res *Response) Write(w http.ResponseWriter) {
	hdr := w.Header()
	for k, v := range res.Header {
		hdr[k] = v
	}
	if res.Asset != "" {
		hdr.Set(AssetHeader, (&url.URL{Path: "/" + res.Asset}).EscapedPath())
	}
	w.WriteHeader(res.Status)
	if len(res.Body) > 0 {
		_, _ = w.Write(res.Body)
	}
}

// recorder is the http.ResponseWriter of Record.
type recorder struct {
	res  Response
	body bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.res.Header }

func (w *recorder) WriteHeader(code int) {
	if w.res.Status == 0 {
		w.res.Status = code
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.res.Asset != "" {
		return 0, errBodySent
	}
	return w.body.Write(p)
}

// errBodySent means the handler wrote after naming an asset as the body.
var errBodySent = errors.New("manifest: response body already sent as an asset")

// ReadFrom is what io.Copy in the handler uses to send a file: a manifest
// file becomes the response's Asset, anything else is copied.
func (w *recorder) ReadFrom(r io.Reader) (int64, error) {
	w.WriteHeader(http.StatusOK)
	if f, ok := r.(*assetFile); ok && w.res.Asset == "" && w.body.Len() == 0 {
		w.res.Asset = f.info.name
		return f.info.size, nil
	}
	if w.res.Asset != "" {
		return 0, errBodySent
	}
	return w.body.ReadFrom(r)
}
