module example.com/app

go 1.20

require (
	github.com/sirupsen/logrus v1.9.3
	golang.org/x/sys v0.13.0 // indirect
)

// v0.13.0 of x/sys broke us; the requirement on it is ignored and a higher version is chosen by the go command
exclude golang.org/x/sys v0.13.0

exclude (
	github.com/sirupsen/logrus v1.9.0
	github.com/sirupsen/logrus v1.9.1
)

retract (
	v1.0.1 // published by mistake
	[v1.1.0, v1.1.5]
)
