//go:build tools

// Package tools pins the YAML language host's main package for `go mod tidy`; npm run e2e builds it
// with `go build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml`.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
