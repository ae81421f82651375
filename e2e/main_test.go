package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/cognito-wasm/cognito-wasm/demo"
	"github.com/cognito-wasm/cognito-wasm/demo/triggers"
	"github.com/cognito-wasm/cognito-wasm/emulator"
)

// env is what every browser test shares: one browser, one emulator, one page server.
var env struct {
	browser  context.Context
	pageURL  string
	endpoint string
	lambda   string // the demo's Lambda triggers
	cfg      demo.Config
	dist     string // the built wasm distribution
	modules  string // demo/node_modules, with the page's QR encoder
	tmp      string
}

func TestMain(m *testing.M) {
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup failed:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(chromium); err != nil {
		return 0, fmt.Errorf("no Chromium at %s (run `make chromium`, or set CHROMIUM): %w", chromium, err)
	}
	tmp, err := os.MkdirTemp("", "cognito-wasm-e2e-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)

	dist := filepath.Join(tmp, "dist")
	if err := buildDist(dist); err != nil {
		return 0, err
	}

	modules := filepath.Join("..", "demo", "node_modules")
	if err := demoModules(modules); err != nil {
		return 0, err
	}

	seedPath := filepath.Join("..", "demo", "seed.json")
	seedJSON, err := os.ReadFile(seedPath)
	if err != nil {
		return 0, err
	}
	seed, err := emulator.LoadSeed(seedPath)
	if err != nil {
		return 0, err
	}
	// The demo's Lambda triggers, as cognito-demo runs them for `make demo`.
	lambdaSrv := httptest.NewServer(triggers.Handler())
	defer lambdaSrv.Close()
	em, err := emulator.New(emulator.Config{DataDir: filepath.Join(tmp, "data"), LambdaEndpoint: lambdaSrv.URL})
	if err != nil {
		return 0, err
	}
	defer em.Close()
	if err := em.Seed(seed); err != nil {
		return 0, err
	}
	if err := em.Seed(loadSeed()); err != nil {
		return 0, err
	}
	if err := em.Seed(accountSeed()); err != nil {
		return 0, err
	}
	groups, err := demo.LoadGroups(filepath.Join("..", "demo", "groups.json"))
	if err != nil {
		return 0, err
	}
	if err := groups.Apply(em); err != nil {
		return 0, err
	}
	if err := em.Seed(devicesSeed()); err != nil {
		return 0, err
	}
	if err := em.Seed(passkeySeed()); err != nil {
		return 0, err
	}
	if err := em.Seed(demoDevicesSeed()); err != nil {
		return 0, err
	}
	if err := referenceModules(); err != nil {
		return 0, err
	}
	emSrv := httptest.NewServer(em)
	defer emSrv.Close()

	cfg, err := demo.ConfigFromSeed(seedJSON, emSrv.URL)
	if err != nil {
		return 0, err
	}
	page, err := demo.Handler(cfg, dist, modules)
	if err != nil {
		return 0, err
	}
	pageSrv := httptest.NewServer(page) // another port: another origin
	defer pageSrv.Close()

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(browser); err != nil {
		return 0, fmt.Errorf("starting Chromium: %w", err)
	}

	env.browser = browser
	env.pageURL = pageSrv.URL + "/"
	env.endpoint = emSrv.URL
	env.lambda = lambdaSrv.URL
	env.cfg = cfg
	env.dist = dist
	env.modules = modules
	env.tmp = tmp
	return m.Run(), nil
}

// buildDist builds the npm package the page loads with js/build-dist.sh,
// as `make build` does (both use tools/build-wasm.sh, the one build of the
// shipped module), so `go test ./e2e/` stands on its own and tests what ships.
func buildDist(dist string) error {
	script, err := filepath.Abs(filepath.Join("..", "js", "build-dist.sh"))
	if err != nil {
		return err
	}
	cmd := exec.Command(script, dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("js/build-dist.sh: %w\n%s", err, out)
	}
	return nil
}

// qrDecoder is jsQR, a devDependency of demo/: the tests read the page's QR
// code back with it.
const qrDecoder = "jsqr/dist/jsQR.js"

// demoModules installs the page's pinned npm modules, as `make demo-deps`
// does, when they are not there yet.
func demoModules(modules string) error {
	_, errQR := os.Stat(filepath.Join(modules, filepath.FromSlash(demo.QRModule)))
	_, errDecoder := os.Stat(filepath.Join(modules, filepath.FromSlash(qrDecoder)))
	if errQR == nil && errDecoder == nil {
		return nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = filepath.Dir(modules)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in demo/: %w\n%s", err, out)
	}
	return nil
}

// identityJS is amazon-cognito-identity-js's browser bundle, pinned in
// e2e/reference/package-lock.json: a test runs it in the demo page to leave a
// session in localStorage that cognito-wasm must pick up.
var identityJS = filepath.Join("reference", "node_modules", "amazon-cognito-identity-js", "dist", "amazon-cognito-identity.min.js")

// referenceModules installs e2e/reference's pinned packages, as `make
// node-deps` does, when identity-js is not there yet.
func referenceModules() error {
	if _, err := os.Stat(identityJS); err == nil {
		return nil
	}
	cmd := exec.Command("npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = "reference"
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("npm ci in e2e/reference: %w\n%s", err, out)
	}
	return nil
}
