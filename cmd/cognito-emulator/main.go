// Command cognito-emulator runs the local Cognito user-pool emulator.
//
//	cognito-emulator [-addr 127.0.0.1:9229] [-data DIR] [-seed FILE] [-region us-east-1] [-issuer URL]
//	                 [-credentials ACCESS_KEY_ID:SECRET[:SESSION_TOKEN]] [-lambda-endpoint URL]
//
// With -credentials, admin and management operations must be SigV4-signed
// with that key (a wrong secret is refused as AWS refuses it) and carry
// exactly its session token, or none when it has none (another token is
// refused as AWS refuses it); without it, any signed request is accepted. -lambda-endpoint is the Lambda Invoke API
// the pools' triggers are invoked at (sam local start-lambda serves one).
//
// Once listening it prints exactly one line to stdout,
// "cognito-emulator listening on http://HOST:PORT"; logs go to stderr.
// With -addr 127.0.0.1:0 it picks a free port. Without -data the store is
// temporary and removed on exit. SIGINT or SIGTERM shut it down gracefully.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cognito-wasm/cognito-wasm/emulator"
	"github.com/cognito-wasm/cognito-wasm/emulator/sigv4"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cognito-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cognito-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9229", "listen address (port 0 picks a free port)")
	dataDir := fs.String("data", "", "directory for the durable store (default: temporary, removed on exit)")
	seedFile := fs.String("seed", "", "JSON file of pools, clients and users to create at start")
	region := fs.String("region", "us-east-1", "region for new pool IDs and the default token issuer")
	issuer := fs.String("issuer", "", "base of the tokens' iss claim (default https://cognito-idp.REGION.amazonaws.com)")
	credentials := fs.String("credentials", "", "ACCESS_KEY_ID:SECRET[:SESSION_TOKEN] that admin operations must be SigV4-signed with (default: any signature)")
	lambdaEndpoint := fs.String("lambda-endpoint", "", "Lambda Invoke API URL for the pools' triggers, e.g. http://127.0.0.1:3001 (sam local start-lambda)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	cfg := emulator.Config{DataDir: *dataDir, Region: *region, Issuer: *issuer, LambdaEndpoint: *lambdaEndpoint}
	if *credentials != "" {
		id, rest, ok := strings.Cut(*credentials, ":")
		secret, token, hasToken := strings.Cut(rest, ":")
		if !ok || id == "" || secret == "" || (hasToken && token == "") {
			return errors.New("-credentials must be ACCESS_KEY_ID:SECRET or ACCESS_KEY_ID:SECRET:SESSION_TOKEN")
		}
		cfg.Credentials = []sigv4.Credentials{{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}}
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	cfg.Logger = log

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	emu, err := emulator.New(cfg)
	var inUse *emulator.StoreInUseError
	if errors.As(err, &inUse) {
		return fmt.Errorf("the data folder %s is in use by another emulator (a cognito-emulator or `make demo`): stop that one, or pass another -data folder", inUse.Dir)
	}
	if err != nil {
		return err
	}
	defer emu.Close()
	if *seedFile != "" {
		seed, err := emulator.LoadSeed(*seedFile)
		if err != nil {
			return err
		}
		if err := emu.Seed(seed); err != nil {
			return err
		}
		log.Info("seed applied", "file", *seedFile, "pools", len(seed.UserPools))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           emu,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "cognito-emulator listening on http://%s\n", ln.Addr())

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
