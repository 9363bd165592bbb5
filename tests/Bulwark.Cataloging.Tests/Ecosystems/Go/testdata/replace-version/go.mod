module example.com/app

go 1.21

toolchain go1.21.5

require (
	github.com/pkg/errors v0.9.1
	golang.org/x/net v0.17.0
	gopkg.in/yaml.v2 v2.4.0
)

// every version of x/net comes from the fork; only v0.9.1 of errors is swapped
replace golang.org/x/net => github.com/fork/net v0.18.1-fixed

replace github.com/pkg/errors v0.9.1 => github.com/pkg/errors v0.9.2-0.20201214064552-5dd12d0cfe7f

replace gopkg.in/yaml.v2 v2.3.0 => gopkg.in/yaml.v2 v2.2.8
