// a go.mod mixing single-line and block requires, quoted paths and comments
module "example.com/indirect"

go 1.19

require github.com/spf13/cobra v1.8.0

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/spf13/pflag v1.0.5 // indirect; needed by cobra
	github.com/docker/docker v24.0.7+incompatible
	`golang.org/x/text` v0.14.0 // a direct dependency with a comment
)

require ()

godebug default=go1.21

tool golang.org/x/tools/cmd/stringer
