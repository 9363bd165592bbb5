module example.com/partial

go 1.21

require (
	github.com/opencontainers/go-digest v1.0.0
	github.com/pkg/errors v0.9.1
	golang.org/x/sync v0.5.0
)
