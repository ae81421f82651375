package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// methodCounter passes every request on to the emulator and counts them by method.
type methodCounter struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]int
}

func (c *methodCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.seen[r.Method]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *methodCounter) count(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[method]
}

// TestSignInsShareOnePreflight signs in ten times in one tab, through a
// counting proxy in front of the emulator, and checks that Chromium's CORS
// preflight cache serves the POSTs after the first: a fetch that opts out of
// caching ("no-store") made Chromium send an OPTIONS before every POST.
func TestSignInsShareOnePreflight(t *testing.T) {
	const signIns = 10
	target, err := url.Parse(env.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	counter := &methodCounter{next: httputil.NewSingleHostReverseProxy(target), seen: map[string]int{}}
	proxy := httptest.NewServer(counter)
	defer proxy.Close()

	user, pass := demoUser(t, "alice")
	p := openPage(t)
	p.eval(fmt.Sprintf(`(() => {
		const el = document.getElementById("endpoint");
		el.value = %q;
		el.dispatchEvent(new Event("change"));
		return "";
	})()`, proxy.URL+"/"))
	for i := 0; i < signIns; i++ {
		if state := p.signIn(user, pass, "USER_SRP_AUTH"); state != "DONE" {
			t.Fatalf("sign-in %d: state = %q; want DONE (error: %s)", i+1, state, p.text("#error"))
		}
	}
	// USER_SRP_AUTH is two POSTs: InitiateAuth and PASSWORD_VERIFIER's answer.
	if posts := counter.count(http.MethodPost); posts < 2*signIns {
		t.Fatalf("the proxy saw %d POSTs for %d SRP sign-ins; want at least %d (did the page use the proxy?)", posts, signIns, 2*signIns)
	}
	if options := counter.count(http.MethodOptions); options > 2 {
		t.Errorf("%d sign-ins (%d POSTs) sent %d OPTIONS preflights; want at most 2 (the preflight cached)",
			signIns, counter.count(http.MethodPost), options)
	}
}
