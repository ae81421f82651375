// Command sdkpatch applies cognito-wasm's patches (patches/*.patch) to the
// AWS SDK modules pinned in go.mod and prints the path of a go.mod that
// builds against the patched copies:
//
//	GOOS=js GOARCH=wasm go build -modfile="$(go run ./tools/sdkpatch)" ./wasm
//
// tools/build-wasm.sh does this for every build of the shipped module; the
// README's "Why the SDK is patched" says why. The copies and the go.mod go to
// <user cache dir>/cognito-wasm/sdkpatch/<hash>/ (out of the source tree);
// go.mod and native builds are left alone. With
// -check it only verifies that every patch applies, writing nothing.
//
// A patch file starts with a header, then unified diffs as `diff -u` writes
// them (paths a/<file> and b/<file>, relative to the module root; new files
// from /dev/null):
//
//	Why: what the patch removes and why (free text, any number of lines).
//	Module: github.com/aws/smithy-go
//	Version: v1.28.9
//	Sha256: transport/http/middleware_http_logging.go <sha256 of the pinned file>
//
// Hunks must match exactly where they say (no fuzz), and each changed file
// must have the checksum given, so an upgrade in go.mod stops every wasm
// build and fails the test with the patch, file and versions named.
//
// To remake a patch after an upgrade: copy the new release's file (from
// `go list -m -f '{{.Dir}}' <module>`) twice, make the same small change in
// one copy, write the header with the new Version and `sha256sum` of the
// unchanged copy, and append `diff -u --label a/<file> --label b/<file>`.
// Keep what we write in new files (diffs from /dev/null) and the changes to
// the SDK's own files to the fewest lines; or drop the patch when the
// release no longer needs it (the test then says whether Transport, TLS
// or x509 came back).
package main
