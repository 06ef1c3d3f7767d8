//go:build tools

// Package tools pins the Pulumi CLI's main package, so that `go mod tidy` records every module it
// needs; npm run e2e builds it with `go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi`.
package tools

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
