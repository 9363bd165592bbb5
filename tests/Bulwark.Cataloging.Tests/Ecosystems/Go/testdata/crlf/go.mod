module example.com/windows

go 1.21

require (
	github.com/pkg/errors v0.9.1 // indirect
	golang.org/x/sys v0.15.0
)
