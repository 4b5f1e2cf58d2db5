package privacy

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"
)

// Request is one request the browser sent through a [Proxy].
type Request struct {
	// Seq is the request's place in the order of arrival, from 0.
	Seq    int
	Method string
	// URL is absolute; for a CONNECT tunnel it is "https://host:port".
	URL    string
	Header http.Header
	// Body is the number of body bytes the browser sent.
	Body int
	// Tunnel is set for CONNECT requests, whose content the proxy cannot
	// see (the browser's own HTTPS traffic; the proxy refuses them).
	Tunnel bool
	// Status is the response status the browser got.
	Status int
	// SetCookie is set when the response tried to set a cookie.
	SetCookie bool
}

// Proxy is a logging HTTP proxy on loopback. A browser (or one browser
// context) forced through it with --proxy-server and
// --proxy-bypass-list=<-loopback> sends it every request of its pages and
// of their Workers alike, which the page's own network events miss. It
// forwards requests to loopback servers only and refuses everything else,
// so tests never reach the internet.
type Proxy struct {
	ln  net.Listener
	srv *http.Server
	rp  *httputil.ReverseProxy

	mu   sync.Mutex
	reqs []Request
}

// NewProxy starts a proxy on a free loopback port.
func NewProxy() (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln}
	p.rp = &httputil.ReverseProxy{
		// The request URI of a proxied request is already absolute.
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL = pr.In.URL
			pr.Out.Host = pr.In.Host
		},
		// Pass the bytes through as the server sent them.
		Transport: &http.Transport{DisableCompression: true, Proxy: nil, MaxIdleConnsPerHost: 16},
		ModifyResponse: func(resp *http.Response) error {
			seq, _ := resp.Request.Context().Value(seqKey{}).(int)
			p.mu.Lock()
			p.reqs[seq].Status = resp.StatusCode
			p.reqs[seq].SetCookie = len(resp.Header.Values("Set-Cookie")) > 0
			p.mu.Unlock()
			return nil
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

type seqKey struct{}

// URL is the proxy's address for --proxy-server.
func (p *Proxy) URL() string { return "http://" + p.ln.Addr().String() }

// Close stops the proxy.
func (p *Proxy) Close() { _ = p.srv.Close() }

// Len is the number of requests so far: a mark to slice [Proxy.Requests] at.
func (p *Proxy) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.reqs)
}

// Requests returns a copy of every request so far, in order of arrival.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, len(p.reqs))
	for i, r := range p.reqs {
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

func (p *Proxy) record(r Request) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	r.Seq = len(p.reqs)
	p.reqs = append(p.reqs, r)
	return r.Seq
}

// ServeHTTP records the request and forwards it when it goes to loopback.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect {
		p.record(Request{Method: r.Method, URL: "https://" + r.Host, Header: r.Header.Clone(), Tunnel: true, Status: http.StatusForbidden})
		http.Error(w, "tunnels are refused", http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	r.Body.Close()
	hdr := r.Header.Clone()
	// Hop-by-hop headers belong to the proxy connection, not the request.
	for _, h := range []string{"Proxy-Connection", "Connection", "Keep-Alive", "Proxy-Authorization"} {
		hdr.Del(h)
	}
	seq := p.record(Request{Method: r.Method, URL: r.URL.String(), Header: hdr, Body: len(body)})
	if !r.URL.IsAbs() || !loopback(r.URL) {
		p.mu.Lock()
		p.reqs[seq].Status = http.StatusForbidden
		p.mu.Unlock()
		http.Error(w, "only loopback is served", http.StatusForbidden)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	p.rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), seqKey{}, seq)))
}

func loopback(u *url.URL) bool {
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
