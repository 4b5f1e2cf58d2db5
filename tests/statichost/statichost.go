//go:build unix

// Package statichost starts, for tests, the real static servers Hearth's
// docs name: Caddy and nginx, each configured by the example shipped in
// build/hosts (changed only in its address and root), and Python's
// http.server, a plain static server. Each serves a root folder holding
// Hearth's files under hearth/ on a free loopback port, in a process group
// of its own that the test's cleanup ends, and is ready once it answers a
// GET of the loader. [Start] runs any other local server the same way (the
// Worker tests start wrangler with it).
//
// The servers come from Debian's packages caddy, nginx,
// libnginx-mod-http-brotli-static and python3 (`make test-deps`). Without
// one a test skips, except in CI (CI=true), where it fails.
//
//	base := statichost.Caddy(t, root)
//	res, err := http.Get(base + "/hearth/hearth.js")
package statichost

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/hearth-dev/hearth/tests/shareddata"
	"github.com/hearth-dev/hearth/web/serve"
)

// Bounds on the slow steps, so a hung server fails the test instead of
// stalling the run.
const (
	readyTimeout = 30 * time.Second
	stopTimeout  = 10 * time.Second
)

// Caddy runs `caddy run` with build/hosts/Caddyfile over root on a free
// loopback port, its admin endpoint off and its state in the test's folder,
// and returns its base URL.
func Caddy(t testing.TB, root string) string {
	t.Helper()
	return caddy(t, root, "root * "+root)
}

// CaddySite is [Caddy] serving a whole site: root's other files (the site's
// own pages) in a block beside Hearth's two, as the Caddyfile's comment says
// to do for an existing site.
func CaddySite(t testing.TB, root string) string {
	t.Helper()
	return caddy(t, root, "root * "+root+sitePages)
}

// sitePages is the Caddyfile block that serves a site's own pages beside
// Hearth's.
const sitePages = "\n\n\t# The site's own pages.\n\thandle {\n\t\tfile_server\n\t}"

// CaddySiteLogged is [CaddySite] writing its access log to file, in Caddy's
// default format (JSON, a request per line), as docs/catalogue.md shows.
func CaddySiteLogged(t testing.TB, root, file string) string {
	t.Helper()
	return caddy(t, root, "root * "+root+"\n\n\tlog {\n\t\toutput file "+file+"\n\t}"+sitePages)
}

// caddy runs Caddy with the example's root line replaced by rootLines.
func caddy(t testing.TB, root, rootLines string) string {
	t.Helper()
	bin := need(t, "caddy", "caddy")
	port := freePort(t)
	cfg := fromExample(t, "Caddyfile",
		":8080 {", "http://127.0.0.1:"+strconv.Itoa(port)+" {",
		"root * /var/www/html", rootLines)
	tmp := t.TempDir()
	path := filepath.Join(tmp, "Caddyfile")
	// The global options only keep a test's Caddy to itself: no admin
	// endpoint to collide with another on localhost:2019.
	require.NoError(t, os.WriteFile(path, []byte("{\n\tadmin off\n}\n\n"+cfg), 0o644))
	cmd := exec.Command(bin, "run", "--config", path, "--adapter", "caddyfile")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "HOME="+tmp, "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"), "XDG_DATA_HOME="+filepath.Join(tmp, "data"))
	return run(t, cmd, port)
}

// nginxModules are where distributions install nginx's dynamic modules.
var nginxModules = []string{"/usr/lib/nginx/modules", "/usr/lib64/nginx/modules", "/usr/share/nginx/modules"}

// Nginx runs nginx in the foreground with build/hosts/nginx.conf, serving
// root, included in a main configuration of its own: its prefix, pid file,
// temporary folders and error log (stderr) in the test's folder. It returns
// the base URL.
func Nginx(t testing.TB, root string) string {
	t.Helper()
	return nginx(t, root, "off")
}

// NginxLogged is [Nginx] writing its access log to file, in nginx's default
// format (combined). Pages outside /hearth/ are served from root as by any
// nginx server block.
func NginxLogged(t testing.TB, root, file string) string {
	t.Helper()
	return nginx(t, root, file)
}

// nginx runs nginx with accessLog as its access_log ("off" for none).
func nginx(t testing.TB, root, accessLog string) string {
	t.Helper()
	bin := need(t, "nginx", "nginx", "/usr/sbin/nginx")
	module := ""
	for _, dir := range nginxModules {
		if p := filepath.Join(dir, "ngx_http_brotli_static_module.so"); fileExists(p) {
			module = p
		}
	}
	if module == "" {
		missing(t, "nginx's brotli static module (Debian: libnginx-mod-http-brotli-static)")
	}
	port := freePort(t)
	prefix := t.TempDir()
	server := filepath.Join(prefix, "hearth.conf")
	require.NoError(t, os.WriteFile(server, []byte(fromExample(t, "nginx.conf",
		"listen 8080;", "listen 127.0.0.1:"+strconv.Itoa(port)+";",
		"root /var/www/html;", "root "+root+";")), 0o644))
	var main strings.Builder
	fmt.Fprintf(&main, "load_module %s;\nworker_processes 1;\n", module)
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody, who cannot read the
		// test's private folders.
		main.WriteString("user root;\n")
	}
	fmt.Fprintf(&main, "events { worker_connections 64; }\nhttp {\n    access_log %s;\n", accessLog)
	// Debian's nginx.conf turns gzip on for the whole server, and types a
	// site's pages by mime.types; the example must hold under both.
	main.WriteString("    gzip on;\n    types { text/html html; }\n")
	for _, temp := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&main, "    %s_temp_path %s;\n", temp, filepath.Join(prefix, temp))
	}
	fmt.Fprintf(&main, "    include %s;\n}\n", server)
	conf := filepath.Join(prefix, "nginx.conf")
	require.NoError(t, os.WriteFile(conf, []byte(main.String()), 0o644))
	cmd := exec.Command(bin, "-p", prefix, "-c", conf, "-e", "stderr",
		"-g", "daemon off; pid "+filepath.Join(prefix, "nginx.pid")+";")
	return run(t, cmd, port)
}

// Python runs `python3 -m http.server` over root on a free loopback port
// and returns its base URL.
func Python(t testing.TB, root string) string {
	t.Helper()
	bin := need(t, "python3", "python3")
	port := freePort(t)
	cmd := exec.Command(bin, "-m", "http.server", strconv.Itoa(port), "--bind", "127.0.0.1", "--directory", root)
	return run(t, cmd, port)
}

// need returns the first of paths that is an executable, looked up on PATH
// when it has no slash; when none is, the test skips (fails in CI).
func need(t testing.TB, what string, paths ...string) string {
	t.Helper()
	for _, p := range paths {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
	}
	missing(t, what)
	return ""
}

// missing skips the test for want of a server, or fails it in CI, where
// `make test-deps` installs every one.
func missing(t testing.TB, what string) {
	t.Helper()
	msg := what + " is not installed: run `make test-deps` (Debian packages caddy, nginx, libnginx-mod-http-brotli-static, python3)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// fromExample returns the shipped example build/hosts/name with each old
// string replaced by the new one after it. Each must occur exactly once, so
// that the example and the tests cannot drift apart unnoticed.
func fromExample(t testing.TB, name string, oldNew ...string) string {
	t.Helper()
	root, err := shareddata.ModuleRoot(".")
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(root, "build", "hosts", name))
	require.NoError(t, err)
	s := string(b)
	for i := 0; i < len(oldNew); i += 2 {
		require.Equal(t, 1, strings.Count(s, oldNew[i]), "%s must contain %q once", name, oldNew[i])
		s = strings.Replace(s, oldNew[i], oldNew[i+1], 1)
	}
	return s
}

// run starts cmd, a server listening on port, stops it when the test ends,
// and waits until it answers a GET of the loader; it returns the base URL.
func run(t testing.TB, cmd *exec.Cmd, port int) string {
	t.Helper()
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	p, err := Start(cmd)
	require.NoError(t, err)
	t.Cleanup(p.Stop)

	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.Done():
			t.Fatalf("%s exited before it answered:\n%s", cmd.Path, p.Output())
		default:
		}
		if res, err := client.Get(base + "/" + serve.Dir + "/" + serve.Loader); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s not answering after %s:\n%s", cmd.Path, readyTimeout, p.Output())
	return ""
}

// Process is a server started by [Start].
type Process struct {
	cmd  *exec.Cmd
	out  lockedBuffer
	done chan struct{}
}

// Start starts cmd in a process group of its own, so that [Process.Stop]
// ends its children too (nginx's worker, wrangler's workerd), collecting
// its output.
func Start(cmd *exec.Cmd) (*Process, error) {
	p := &Process{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.out, &p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Output returns what the process wrote to stdout and stderr so far.
func (p *Process) Output() string { return p.out.String() }

// Stop ends the process's whole group: politely, then, after at most
// stopTimeout, by force, since a child may outlive its parent's exit.
func (p *Process) Stop() {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(stopTimeout):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func freePort(t testing.TB) int {
	t.Helper()
	port, err := FreePort()
	require.NoError(t, err)
	return port
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

// lockedBuffer collects a process's output from several goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
