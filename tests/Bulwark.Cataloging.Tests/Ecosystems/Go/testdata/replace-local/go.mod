module example.com/monorepo/service

go 1.22

require (
	example.com/monorepo/shared v0.0.0-00010101000000-000000000000
	github.com/google/uuid v1.6.0
)

replace example.com/monorepo/shared => ../shared

replace github.com/google/uuid v1.6.0 => ./third_party/uuid
