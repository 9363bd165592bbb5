module example.com/broken

go 1.21

require (
	github.com/pkg/errors v0.9.1
	github.com/spf13/cobra
)
