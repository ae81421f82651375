// Command cognito-demo runs the whole demo on one machine: the Cognito
// emulator, seeded with demo users, the demo's own Lambda triggers for custom
// challenges, and the demo page on another port, so the page calls the
// emulator cross-origin exactly as it would call real Cognito.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/cognito-wasm/cognito-wasm/demo"
	"github.com/cognito-wasm/cognito-wasm/demo/triggers"
	"github.com/cognito-wasm/cognito-wasm/emulator"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "cognito-demo:", err)
		os.Exit(1)
	}
}

// storeError says plainly that another emulator (another `make demo`, or a
// cognito-emulator on the same folder) holds the store, instead of bbolt's timeout.
func storeError(err error, dir string) error {
	var inUse *emulator.StoreInUseError
	if errors.As(err, &inUse) {
		return fmt.Errorf("the data folder %s is in use by another emulator (another `make demo` or a cognito-emulator): stop that one, or pass another -data folder", dir)
	}
	return err
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func run() error {
	emAddr := flag.String("emulator-addr", "127.0.0.1:9229", "address for the Cognito emulator")
	pageAddr := flag.String("addr", "127.0.0.1:8080", "address for the demo page")
	dataDir := flag.String("data", ".data/emulator", "directory for the emulator's durable store")
	seedPath := flag.String("seed", "demo/seed.json", "seed file with the demo pool, client and users")
	groupsPath := flag.String("groups", "", "the demo pools' groups (default: groups.json beside the seed file, if there is one)")
	distDir := flag.String("dist", "build/dist", "directory with the built cognito-wasm files")
	modulesDir := flag.String("modules", "demo/node_modules", "the demo page's npm modules (its QR encoder), from `npm ci` in demo/")
	lambdaAddr := flag.String("lambda-addr", "127.0.0.1:9230", "address for the demo's Lambda triggers (the Lambda Invoke API)")
	flag.Parse()

	seedJSON, err := os.ReadFile(*seedPath)
	if err != nil {
		return err
	}
	seed, err := emulator.LoadSeed(*seedPath)
	if err != nil {
		return err
	}
	var groups demo.Groups
	if *groupsPath == "" {
		if beside := filepath.Join(filepath.Dir(*seedPath), "groups.json"); fileExists(beside) {
			*groupsPath = beside
		}
	}
	if *groupsPath != "" {
		if groups, err = demo.LoadGroups(*groupsPath); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return err
	}
	lambdaLn, err := net.Listen("tcp", *lambdaAddr)
	if err != nil {
		// A second `make demo` fails here first, on a port; the store says why.
		probe, perr := emulator.New(emulator.Config{DataDir: *dataDir})
		var inUse *emulator.StoreInUseError
		if errors.As(perr, &inUse) {
			return storeError(perr, *dataDir)
		}
		if perr == nil {
			probe.Close()
		}
		return fmt.Errorf("lambda address: %w", err)
	}
	lambdaEndpoint := "http://" + lambdaLn.Addr().String()
	em, err := emulator.New(emulator.Config{DataDir: *dataDir, LambdaEndpoint: lambdaEndpoint,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	if err != nil {
		return storeError(err, *dataDir)
	}
	defer em.Close()
	if err := em.Seed(seed); err != nil {
		return err
	}
	if err := groups.Apply(em); err != nil {
		return err
	}

	emLn, err := net.Listen("tcp", *emAddr)
	if err != nil {
		return fmt.Errorf("emulator address: %w", err)
	}
	pageLn, err := net.Listen("tcp", *pageAddr)
	if err != nil {
		return fmt.Errorf("page address: %w", err)
	}
	endpoint := "http://" + emLn.Addr().String()
	cfg, err := demo.ConfigFromSeed(seedJSON, endpoint)
	if err != nil {
		return err
	}
	page, err := demo.Handler(cfg, *distDir, *modulesDir)
	if err != nil {
		return fmt.Errorf("%w (run `make build` first)", err)
	}

	servers := []*http.Server{
		{Handler: em, ReadHeaderTimeout: 10 * time.Second},
		{Handler: page, ReadHeaderTimeout: 10 * time.Second},
		{Handler: triggers.Handler(), ReadHeaderTimeout: 10 * time.Second},
	}
	listeners := []net.Listener{emLn, pageLn, lambdaLn}
	errc := make(chan error, len(servers))
	for i := range servers {
		go func() { errc <- servers[i].Serve(listeners[i]) }()
	}

	fmt.Printf("Cognito emulator: %s\n", endpoint)
	fmt.Printf("Lambda triggers:  %s (custom challenges)\n", lambdaEndpoint)
	fmt.Printf("Demo page:        http://%s/\n", pageLn.Addr())
	if u := passkeyPageURL(seed, pageLn.Addr()); u != "" {
		fmt.Printf("Passkeys:         %s (the same page under the relying party \"localhost\": browsers refuse it from 127.0.0.1)\n", u)
	}
	for _, p := range cfg.Pools {
		fmt.Printf("Demo pool:        %s (pool %s, client %s)\n", p.Name, p.UserPoolID, p.ClientID)
		for _, c := range p.Clients {
			if c.ID == p.ClientID {
				continue
			}
			fmt.Printf("Other client:     %s (%s, access tokens last %d minutes)\n", c.ID, c.Name, c.AccessTokenMinutes)
		}
		for _, u := range p.Users {
			fmt.Printf("Demo user:        %s / %s   %s\n", u.Username, u.Password, u.Note)
		}
	}
	fmt.Println("Press Ctrl-C to stop.")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		s.Shutdown(shutdown)
	}
	return nil
}

// passkeyPageURL is the page's address under the name "localhost" when a
// seeded pool's passkeys have the relying party "localhost" and the page
// listens on a loopback address: a browser offers such passkeys only to a
// page whose host is localhost (or under it), never to 127.0.0.1.
func passkeyPageURL(seed emulator.Seed, addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsLoopback() {
		return ""
	}
	for _, p := range seed.UserPools {
		if w := p.WebAuthnConfiguration; w != nil && w.RelyingPartyID == "localhost" {
			return fmt.Sprintf("http://localhost:%d/", tcp.Port)
		}
	}
	return ""
}
