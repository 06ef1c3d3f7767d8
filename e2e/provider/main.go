// Command pulumi-resource-aws is the real-engine run's stand-in AWS provider: it serves this
// repository's mapping (./mapping) of the upstream AWS Terraform provider over the Pulumi bridge.
package main

import (
	"context"
	"fmt"
	"os"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"aligo-sms.local/e2e-provider/mapping"
)

func main() {
	ctx := context.Background()

	info, err := mapping.Provider(ctx)
	if err != nil {
		fail("building upstream provider: %v", err)
	}
	for _, d := range mapping.DropUnbacked(&info) {
		fmt.Fprintf(os.Stderr, "pulumi-resource-aws: dropped unbacked mapping %s\n", d)
	}
	if err := mapping.EnsureMuxDispatch(&info); err != nil {
		fail("computing mux dispatch: %v", err)
	}
	schema, err := mapping.Schema(info)
	if err != nil {
		fail("generating schema: %v", err)
	}

	pf.MainWithMuxer(ctx, "aws", info, schema)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "pulumi-resource-aws (stand-in): "+format+"\n", args...)
	os.Exit(1)
}
